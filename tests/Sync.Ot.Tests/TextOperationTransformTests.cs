using System;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class TextOperationTransformTests
{
    [Fact]
    public void Transform_SatisfiesTP1_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            foreach (InsertTieBreak tie in new[] { InsertTieBreak.LeftFirst, InsertTieBreak.RightFirst })
            {
                (TextOperation aPrime, TextOperation bPrime) = TextOperation.Transform(c.A, c.B, tie);
                string viaA = bPrime.Apply(c.A.Apply(c.Document));
                string viaB = aPrime.Apply(c.B.Apply(c.Document));
                Assert.Equal(viaA, viaB);
                Assert.Equal(c.A.Compose(bPrime), c.B.Compose(aPrime));
            }
        }, iterations: 500);
    }

    [Fact]
    public void Transform_IsSymmetricInTheTieBreak_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            TransformedPair forward = TextOperation.Transform(c.A, "alice", c.B, "bob");
            TransformedPair backward = TextOperation.Transform(c.B, "bob", c.A, "alice");
            Assert.Equal(forward.Left, backward.Right);
            Assert.Equal(forward.Right, backward.Left);
        });
    }

    [Fact]
    public void Transform_Seed002_AliceDeletesDBobDeletesB_BothOrdersGiveACE()
    {
        const string document = "ABCDE";
        TextOperation alice = TextOperation.Delete(5, 3, 1);
        TextOperation bob = TextOperation.Delete(5, 1, 1);

        (TextOperation alicePrime, TextOperation bobPrime) = TextOperation.Transform(alice, "alice", bob, "bob");

        Assert.Equal("ACE", bobPrime.Apply(alice.Apply(document)));
        Assert.Equal("ACE", alicePrime.Apply(bob.Apply(document)));
        // The seed's picture: on Bob's side Alice's "DEL 03" becomes "DEL 02".
        Assert.Equal(TextOperation.Delete(4, 2, 1), alicePrime);
        Assert.Equal(TextOperation.Delete(4, 1, 1), bobPrime);
    }

    [Fact]
    public void Transform_InsertsAtSamePosition_LowerAuthorIdGoesFirst()
    {
        // Seed 000: Alice (id 0) inserts "A" at 0, Bob (id 1) inserts "B" at 0 -> "AB".
        TextOperation alice = TextOperation.Insert(0, 0, "A");
        TextOperation bob = TextOperation.Insert(0, 0, "B");

        (TextOperation alicePrime, TextOperation bobPrime) = TextOperation.Transform(alice, "0", bob, "1");
        (TextOperation bobPrime2, TextOperation alicePrime2) = TextOperation.Transform(bob, "1", alice, "0");

        Assert.Equal("AB", bobPrime.Apply(alice.Apply(string.Empty)));
        Assert.Equal("AB", alicePrime.Apply(bob.Apply(string.Empty)));
        Assert.Equal(alicePrime, alicePrime2);
        Assert.Equal(bobPrime, bobPrime2);
    }

    [Fact]
    public void Transform_InsertsAtSamePosition_TieBreakChoosesOrder()
    {
        TextOperation left = TextOperation.Insert(2, 1, "L");
        TextOperation right = TextOperation.Insert(2, 1, "R");

        Assert.Equal("xLRy", TextOperation.Transform(left, right, InsertTieBreak.LeftFirst).Right.Apply(left.Apply("xy")));
        Assert.Equal("xRLy", TextOperation.Transform(left, right, InsertTieBreak.RightFirst).Right.Apply(left.Apply("xy")));
    }

    [Fact]
    public void Transform_OverlappingDeletes_DeleteTheUnionOnce()
    {
        const string document = "ABCDEFG";
        TextOperation a = TextOperation.Delete(7, 1, 3); // BCD
        TextOperation b = TextOperation.Delete(7, 2, 4); // CDEF

        (TextOperation aPrime, TextOperation bPrime) = TextOperation.Transform(a, "a", b, "b");

        Assert.Equal("AG", bPrime.Apply(a.Apply(document)));
        Assert.Equal("AG", aPrime.Apply(b.Apply(document)));
        Assert.Equal(TextOperation.Delete(3, 1, 1), aPrime); // only B is left for a to delete
        Assert.Equal(TextOperation.Delete(4, 1, 2), bPrime); // only EF is left for b to delete
    }

    [Fact]
    public void Transform_IdenticalDeletes_BothBecomeIdentity()
    {
        TextOperation a = TextOperation.Delete(5, 1, 2);

        (TextOperation aPrime, TextOperation bPrime) = TextOperation.Transform(a, "a", a, "b");

        Assert.True(aPrime.IsIdentity);
        Assert.True(bPrime.IsIdentity);
    }

    [Fact]
    public void Transform_InsertInsideDeletedRange_InsertSurvivesAtStartOfRange()
    {
        const string document = "ABCDEF";
        TextOperation delete = TextOperation.Delete(6, 1, 4); // BCDE
        TextOperation insert = TextOperation.Insert(6, 3, "x"); // ABC|DEF

        (TextOperation deletePrime, TextOperation insertPrime) = TextOperation.Transform(delete, "a", insert, "b");

        Assert.Equal("AxF", insertPrime.Apply(delete.Apply(document)));
        Assert.Equal("AxF", deletePrime.Apply(insert.Apply(document)));
        Assert.Equal(TextOperation.Insert(2, 1, "x"), insertPrime);
    }

    [Fact]
    public void Transform_InsertAtStartOfDeletedRange_StaysBeforeTheRange()
    {
        TextOperation delete = TextOperation.Delete(4, 1, 2);
        TextOperation insert = TextOperation.Insert(4, 1, "x");

        (_, TextOperation insertPrime) = TextOperation.Transform(delete, "a", insert, "b");

        Assert.Equal("AxD", insertPrime.Apply(delete.Apply("ABCD")));
    }

    [Fact]
    public void Transform_InsertAfterDeletedRange_ShiftsLeftByDeletedCount()
    {
        TextOperation delete = TextOperation.Delete(6, 1, 2); // BC
        TextOperation insert = TextOperation.Insert(6, 5, "x"); // ABCDE|F

        (_, TextOperation insertPrime) = TextOperation.Transform(delete, "a", insert, "b");

        Assert.Equal(TextOperation.Insert(4, 3, "x"), insertPrime);
        Assert.Equal("ADExF", insertPrime.Apply(delete.Apply("ABCDEF")));
    }

    [Fact]
    public void Transform_DeleteVersusInsertBefore_ShiftsTheDelete()
    {
        TextOperation delete = TextOperation.Delete(4, 2, 1); // C
        TextOperation insert = TextOperation.Insert(4, 0, "xy");

        (TextOperation deletePrime, _) = TextOperation.Transform(delete, "a", insert, "b");

        Assert.Equal(TextOperation.Delete(6, 4, 1), deletePrime);
    }

    [Fact]
    public void Transform_AgainstIdentity_ReturnsSameInstance()
    {
        TextOperation op = TextOperation.Insert(3, 1, "x");

        TransformedPair pair = TextOperation.Transform(op, "a", TextOperation.Identity(3), "b");

        Assert.Same(op, pair.Left);
        Assert.Equal(TextOperation.Identity(4), pair.Right);
    }

    [Fact]
    public void Transform_DifferentBaseLengths_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TextOperation.Transform(TextOperation.Identity(3), "a", TextOperation.Identity(4), "b"));
    }

    [Fact]
    public void Transform_SameAuthor_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TextOperation.Transform(TextOperation.Identity(3), "a", TextOperation.Identity(3), "a"));
    }

    [Fact]
    public void TransformedPair_Equality_IsStructural()
    {
        var a = new TransformedPair(TextOperation.Insert(1, 0, "x"), TextOperation.Identity(2));
        var b = new TransformedPair(TextOperation.Insert(1, 0, "x"), TextOperation.Identity(2));

        EqualityAssert.Equal(a, b);
        EqualityAssert.NotEqual(a, new TransformedPair(TextOperation.Insert(1, 1, "x"), TextOperation.Identity(2)));
    }
}
