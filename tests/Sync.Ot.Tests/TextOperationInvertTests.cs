using System;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class TextOperationInvertTests
{
    [Fact]
    public void Invert_Undoes_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            TextOperation inverse = c.A.Invert(c.Document);
            Assert.Equal(c.Document, inverse.Apply(c.A.Apply(c.Document)));
            Assert.Equal(c.A.TargetCodePointLength, inverse.BaseCodePointLength);
            Assert.Equal(c.A.BaseCodePointLength, inverse.TargetCodePointLength);
        }, iterations: 500);
    }

    [Fact]
    public void Invert_OfInverse_IsTheOriginal_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            TextOperation inverse = c.A.Invert(c.Document);
            Assert.Equal(c.A, inverse.Invert(c.A.Apply(c.Document)));
        });
    }

    [Fact]
    public void Invert_WithBuffer_AgreesWithInvertWithString_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
            Assert.Equal(c.A.Invert(c.Document), c.A.Invert(new TextBuffer(c.Document))));
    }

    [Fact]
    public void Invert_DeleteOfEmoji_ReinsertsTheWholeEmoji()
    {
        TextOperation delete = TextOperation.Delete(4, 1, 2);

        TextOperation inverse = delete.Invert("a😀👍b");

        Assert.Equal(TextOperation.Insert(2, 1, "😀👍"), inverse);
    }

    [Fact]
    public void Invert_WrongDocumentLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TextOperation.Delete(4, 1, 2).Invert("abc"));
    }
}
