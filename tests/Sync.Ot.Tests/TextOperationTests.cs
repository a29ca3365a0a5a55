using System;
using System.Linq;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class TextOperationTests
{
    [Fact]
    public void Builder_AdjacentSameKindComponents_AreMerged()
    {
        TextOperation op = new TextOperationBuilder().Retain(2).Retain(3).Insert("ab").Insert("c").Delete(1).Delete(2).ToOperation();

        Assert.Equal(
            new[] { OperationComponent.Retain(5), OperationComponent.Insert("abc"), OperationComponent.Delete(3) },
            op.Components.ToArray());
        Assert.Equal(8, op.BaseCodePointLength);
        Assert.Equal(8, op.TargetCodePointLength);
    }

    [Fact]
    public void Builder_EmptyComponents_AreDropped()
    {
        TextOperation op = new TextOperationBuilder().Retain(0).Insert(string.Empty).Delete(0).Retain(1).ToOperation();

        Assert.Equal(new[] { OperationComponent.Retain(1) }, op.Components.ToArray());
    }

    [Fact]
    public void Builder_InsertAfterDelete_IsMovedBeforeTheDelete()
    {
        TextOperation deleteThenInsert = new TextOperationBuilder().Retain(1).Delete(2).Insert("x").ToOperation();
        TextOperation insertThenDelete = new TextOperationBuilder().Retain(1).Insert("x").Delete(2).ToOperation();

        Assert.Equal(
            new[] { OperationComponent.Retain(1), OperationComponent.Insert("x"), OperationComponent.Delete(2) },
            deleteThenInsert.Components.ToArray());
        EqualityAssert.Equal(deleteThenInsert, insertThenDelete);
    }

    [Fact]
    public void Builder_InsertDeleteInsert_MergesBothInsertsBeforeTheDelete()
    {
        TextOperation op = new TextOperationBuilder().Insert("a").Delete(1).Insert("b").ToOperation();

        Assert.Equal(new[] { OperationComponent.Insert("ab"), OperationComponent.Delete(1) }, op.Components.ToArray());
    }

    [Fact]
    public void Builder_NegativeCounts_Throw()
    {
        var builder = new TextOperationBuilder();
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Retain(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Delete(-1));
        Assert.Throws<ArgumentNullException>(() => builder.Insert(null!));
        Assert.Equal(0, builder.BaseCodePointLength);
    }

    [Fact]
    public void Equals_SameComponents_AreEqualWithEqualHashes()
    {
        TextOperation a = TextOperation.FromComponents([OperationComponent.Retain(1), OperationComponent.Insert("q"), OperationComponent.Retain(1)]);
        TextOperation b = new TextOperationBuilder().Retain(1).Insert("q").Retain(1).ToOperation();

        EqualityAssert.Equal(a, b);
    }

    [Fact]
    public void Equals_DifferentTextOrLength_AreNotEqual()
    {
        TextOperation a = TextOperation.Insert(2, 1, "q");
        EqualityAssert.NotEqual(a, TextOperation.Insert(2, 1, "r"));
        EqualityAssert.NotEqual(a, TextOperation.Insert(2, 0, "q"));
        EqualityAssert.NotEqual(a, TextOperation.Insert(3, 1, "q"));
        EqualityAssert.NotEqual(TextOperation.Delete(3, 0, 1), TextOperation.Delete(3, 0, 2));
    }

    [Fact]
    public void Apply_MixedComponents_ProducesExpectedText()
    {
        TextOperation op = new TextOperationBuilder().Retain(1).Delete(2).Insert("XY").Retain(2).Insert("!").ToOperation();

        Assert.Equal("AXYDE!", op.Apply("ABCDE"));
    }

    [Fact]
    public void Apply_Identity_ReturnsSameInstance()
    {
        string document = new('a', 5);

        Assert.Same(document, TextOperation.Identity(5).Apply(document));
    }

    [Fact]
    public void Apply_WrongLength_ThrowsArgumentException()
    {
        TextOperation op = TextOperation.Insert(3, 0, "x");

        ArgumentException ex = Assert.Throws<ArgumentException>(() => op.Apply("ABCD"));
        Assert.Contains("3 code points", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MatchesNaiveModel_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
            Assert.Equal(OtGenerators.NaiveApply(c.Document, c.A), c.A.Apply(c.Document)));
    }

    [Fact]
    public void Lengths_MatchDocumentLengths_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            Assert.Equal(OtGenerators.CodePointLength(c.Document), c.A.BaseCodePointLength);
            Assert.Equal(OtGenerators.CodePointLength(c.A.Apply(c.Document)), c.A.TargetCodePointLength);
        });
    }

    [Fact]
    public void Components_OfRandomOperations_AreInNormalForm()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            OperationComponent[] components = c.A.Components.ToArray();
            for (int i = 0; i < components.Length; i++)
            {
                Assert.True(components[i].CodePointLength > 0, $"empty component in {c.A}");
                if (i > 0)
                {
                    Assert.NotEqual(components[i - 1].Kind, components[i].Kind);
                    Assert.False(components[i - 1].IsDelete && components[i].IsInsert, $"insert after delete in {c.A}");
                }
            }
        });
    }

    [Fact]
    public void ToString_ListsComponents()
    {
        Assert.Equal("[retain(1), insert(\"x\"), delete(2)]", new TextOperationBuilder().Retain(1).Insert("x").Delete(2).ToOperation().ToString());
    }
}
