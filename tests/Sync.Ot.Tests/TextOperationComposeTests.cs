using System;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class TextOperationComposeTests
{
    [Fact]
    public void Compose_AgreesWithSequentialApply_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            string sequential = c.C.Apply(c.A.Apply(c.Document));
            Assert.Equal(sequential, c.A.Compose(c.C).Apply(c.Document));
        }, iterations: 500);
    }

    [Fact]
    public void Compose_IsAssociative_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            var random = new Random(c.Seed);
            TextOperation d = OtGenerators.RandomOperation(random, c.C.TargetLength);
            Assert.Equal(c.A.Compose(c.C).Compose(d), c.A.Compose(c.C.Compose(d)));
        });
    }

    [Fact]
    public void Compose_InsertThenDeleteOfSameText_CancelsOut()
    {
        TextOperation insert = TextOperation.Insert(3, 1, "xyz");
        TextOperation delete = TextOperation.Delete(6, 1, 3);

        Assert.True(insert.Compose(delete).IsIdentity);
    }

    [Fact]
    public void Compose_WithIdentity_ReturnsSameInstance()
    {
        TextOperation op = TextOperation.Insert(3, 1, "x");

        Assert.Same(op, op.Compose(TextOperation.Identity(4)));
        Assert.Same(op, TextOperation.Identity(3).Compose(op));
    }

    [Fact]
    public void Compose_LengthMismatch_ThrowsArgumentException()
    {
        TextOperation op = TextOperation.Insert(3, 1, "x");

        Assert.Throws<ArgumentException>(() => op.Compose(TextOperation.Identity(3)));
    }

    [Fact]
    public void Compose_TwoTypingEdits_GivesOneInsert()
    {
        TextOperation typed = TextOperation.Insert(2, 1, "a").Compose(TextOperation.Insert(3, 2, "b"));

        Assert.Equal(TextOperation.Insert(2, 1, "ab"), typed);
    }
}
