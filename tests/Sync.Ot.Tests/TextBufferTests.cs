using System;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class TextBufferTests
{
    [Fact]
    public void Apply_SequenceOfRandomOperations_MatchesStringApply()
    {
        PropertyCheck.ForAll(FsCheck.Fluent.Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            string expected = OtGenerators.RandomText(random, random.Next(0, 20));
            var buffer = new TextBuffer(expected);
            for (int step = 0; step < 20; step++)
            {
                TextOperation op = OtGenerators.RandomOperation(random, buffer.CodePointLength);
                expected = OtGenerators.NaiveApply(expected, op);
                buffer.Apply(op);
                Assert.Equal(expected, buffer.ToString());
                Assert.Equal(OtGenerators.CodePointLength(expected), buffer.CodePointLength);
                Assert.Equal(expected.Length, buffer.Utf16Length);
            }
        }, iterations: 100);
    }

    [Fact]
    public void Apply_WrongLength_ThrowsAndLeavesBufferUnchanged()
    {
        var buffer = new TextBuffer("abc");

        Assert.Throws<ArgumentException>(() => buffer.Apply(TextOperation.Insert(4, 0, "x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Apply(TextEdit.Delete(2, 2)));
        Assert.Equal("abc", buffer.ToString());
    }

    [Fact]
    public void GetText_RangePastEnd_Throws()
    {
        var buffer = new TextBuffer("abc");

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.GetText(2, 2));
        Assert.Equal("bc", buffer.GetText(1, 2));
    }

    [Fact]
    public void Apply_GrowingFromEmpty_KeepsAllText()
    {
        var buffer = new TextBuffer();
        string expected = string.Empty;
        for (int i = 0; i < 200; i++)
        {
            string piece = i % 7 == 0 ? "😀" : "ab";
            int position = i % 3 == 0 ? 0 : buffer.CodePointLength;
            buffer.Apply(TextEdit.Insert(position, piece));
            expected = position == 0 ? piece + expected : expected + piece;
        }

        Assert.Equal(expected, buffer.ToString());
    }
}
