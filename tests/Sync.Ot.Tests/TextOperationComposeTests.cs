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
            TextOperation d = OtGenerators.RandomOperation(random, c.C.TargetCodePointLength);
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

    [Fact]
    public void ComposeAll_AgreesWithSequentialCompose_ForRandomChains()
    {
        PropertyCheck.ForAll(FsCheck.Fluent.Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            string document = OtGenerators.RandomText(random, random.Next(0, 10));
            var chain = new System.Collections.Generic.List<TextOperation>();
            string expected = document;
            int length = OtGenerators.CodePointLength(document);
            for (int i = random.Next(1, 12); i > 0; i--)
            {
                TextOperation op = OtGenerators.RandomOperation(random, length);
                chain.Add(op);
                expected = op.Apply(expected);
                length = op.TargetCodePointLength;
            }

            Assert.Equal(expected, TextOperation.ComposeAll(chain).Apply(document));
        });
    }

    [Fact]
    public void ComposeAll_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => TextOperation.ComposeAll([]));
        Assert.Throws<ArgumentException>(() => TextOperation.ComposeAll([TextOperation.Identity(1), TextOperation.Identity(2)]));
        Assert.Throws<ArgumentNullException>(() => TextOperation.ComposeAll([TextOperation.Identity(1), null!]));
    }

    [Fact]
    public void ComposeAll_SingleOperation_ReturnsSameInstance()
    {
        TextOperation op = TextOperation.Insert(0, 0, "x");

        Assert.Same(op, TextOperation.ComposeAll([op]));
    }
}
