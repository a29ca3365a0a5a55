using System;

namespace Sync.Ot.Tests;

/// <summary>Positions count code points: an emoji outside the BMP is one position and is never split.</summary>
public class SurrogatePairTests
{
    [Fact]
    public void Insert_AfterEmoji_CountsTheEmojiAsOnePosition()
    {
        // "a😀b": 3 code points, 4 UTF-16 code units.
        TextOperation op = TextOperation.Insert(3, 2, "X");

        Assert.Equal("a😀Xb", op.Apply("a😀b"));
    }

    [Fact]
    public void Delete_OneCodePoint_RemovesTheWholeEmoji()
    {
        Assert.Equal("ab", TextOperation.Delete(3, 1, 1).Apply("a😀b"));
    }

    [Fact]
    public void Insert_Emoji_HasLengthOne()
    {
        TextOperation op = TextOperation.Insert(0, 0, "👍");

        Assert.Equal(1, op.TargetCodePointLength);
        Assert.Equal(1, OperationComponent.Insert("𝄞").CodePointLength);
    }

    [Fact]
    public void Apply_DocumentLengthInUtf16Units_IsRejected()
    {
        // 4 UTF-16 units but 3 code points: an operation counting code units does not fit.
        Assert.Throws<ArgumentException>(() => TextOperation.Identity(4).Apply("a😀b"));
    }

    [Fact]
    public void Insert_LoneSurrogate_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => TextOperation.Insert(0, 0, "\uD83D"));
        Assert.Throws<ArgumentException>(() => new TextOperationBuilder().Insert("x\uDE00"));
        Assert.Throws<ArgumentException>(() => TextEdit.Insert(0, "\uDE00\uD83D"));
    }

    [Fact]
    public void Apply_DocumentWithLoneSurrogate_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => TextOperation.Identity(2).Apply("a\uD83D"));
        Assert.Throws<ArgumentException>(() => new TextBuffer("\uDE00"));
    }

    [Fact]
    public void Transform_ConcurrentEditsAroundEmoji_Converge()
    {
        const string document = "😀👍🏽x";
        TextOperation a = TextOperation.Delete(4, 1, 2); // 👍 and the skin tone modifier (two code points)
        TextOperation b = TextOperation.Insert(4, 1, "🎉");

        (TextOperation aPrime, TextOperation bPrime) = TextOperation.Transform(a, "a", b, "b");

        Assert.Equal("😀🎉x", bPrime.Apply(a.Apply(document)));
        Assert.Equal("😀🎉x", aPrime.Apply(b.Apply(document)));
    }

    [Fact]
    public void Compose_SplittingAnEmojiInsert_KeepsPairsWhole()
    {
        TextOperation insert = TextOperation.Insert(0, 0, "😀👍🎉");
        TextOperation deleteMiddle = TextOperation.Delete(3, 1, 1);

        TextOperation composed = insert.Compose(deleteMiddle);

        Assert.Equal(TextOperation.Insert(0, 0, "😀🎉"), composed);
    }

    [Fact]
    public void TextBuffer_EditsBetweenEmoji_UseCodePointPositions()
    {
        var buffer = new TextBuffer("😀😀😀");
        buffer.Apply(TextEdit.Insert(1, "a"));
        buffer.Apply(TextEdit.Delete(2, 1));
        buffer.Apply(TextEdit.Insert(3, "b"));

        Assert.Equal("😀a😀b", buffer.ToString());
        Assert.Equal(4, buffer.CodePointLength);
        Assert.Equal(6, buffer.Utf16Length);
        Assert.Equal("a😀", buffer.GetText(1, 2));
    }
}
