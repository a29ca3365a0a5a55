using System;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Text.Tests;

public class BadUpdateTests
{
    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "empty input", [] },
        { "unknown format version", [2, 0, 0, 0, 0] },
        { "truncated after the version", [1] },
        { "trailing bytes", [1, 0, 0, 0, 0, 9] },
        { "replica count beyond the input", [1, 200, 1] },
        { "replica id not UTF-8", [1, 1, 1, 0xFF, 0, 0, 0] },
        { "same replica twice", [1, 2, 1, (byte)'a', 1, (byte)'a', 0, 0, 0] },
        { "block names a missing replica", [1, 1, 1, (byte)'a', 1, 5, 0, 1, 1 << 5, 0, 1, (byte)'x'] },
        { "item of length 0", [1, 1, 1, (byte)'a', 1, 0, 0, 1, 0, 0, 0, 0] },
        { "origin at the previous clock of clock 0", [1, 1, 1, (byte)'a', 1, 0, 0, 1, (1 << 5) | 1, 0, 1, (byte)'x'] },
        { "origin on a later clock of its own replica", [1, 1, 1, (byte)'a', 1, 0, 0, 1, (1 << 5) | 3, 0, 4, 0, 1, (byte)'x'] },
        { "origin-right kind 3", [1, 1, 1, (byte)'a', 1, 0, 0, 1, (1 << 5) | 12, 0, 1, (byte)'x'] },
        { "content shorter than the items", [1, 1, 1, (byte)'a', 1, 0, 0, 1, 2 << 5, 0, 1, (byte)'x'] },
        { "content longer than the items", [1, 1, 1, (byte)'a', 1, 0, 0, 1, 1 << 5, 0, 2, (byte)'x', (byte)'y'] },
        { "content not UTF-8", [1, 1, 1, (byte)'a', 1, 0, 0, 1, 1 << 5, 0, 1, 0xC3] },
        { "clock overflows", [1, 1, 1, (byte)'a', 1, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0x07, 1, 2 << 5, 0, 2, (byte)'x', (byte)'y'] },
        { "varint longer than 5 bytes", [1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] },
        { "item count beyond the input", [1, 1, 1, (byte)'a', 1, 0, 0, 0x7F] },
        { "empty delete range", [1, 1, 1, (byte)'a', 0, 1, 0, 1, 0, 0, 0] },
        { "left and right origin are the same code unit", [1, 2, 1, (byte)'a', 1, (byte)'b', 1, 0, 0, 1, (1 << 5) | 3 | (2 << 2), 1, 0, 1, 0, 0, 1, (byte)'x'] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void ApplyUpdate_MalformedBytes_ThrowsCrdtFormatExceptionAndLeavesReplicaUnchanged(string problem, byte[] bytes)
    {
        TextDocument document = EncodingTests.RandomHistory(3, 30, out _);
        string text = document.ToString();
        VersionVector state = document.StateVector;

        var ex = Assert.Throws<CrdtFormatException>(() => document.ApplyUpdate(bytes));

        Assert.False(string.IsNullOrEmpty(ex.Message), problem);
        Assert.Equal(text, document.ToString());
        Assert.Equal(state, document.StateVector);
        Assert.False(document.HasPendingUpdates);
    }

    [Fact]
    public void ApplyUpdate_CorruptedOrTruncatedValidUpdate_EitherAppliesOrThrowsFormatExceptionWithoutChange()
    {
        TextDocument source = EncodingTests.RandomHistory(11, 60, out _);
        byte[] valid = source.EncodeStateAsUpdate().ToArray();
        Gen<(int Position, int Value, bool Truncate)> corruption =
            Gen.Zip(Gen.Choose(0, valid.Length - 1), Gen.Zip(Gen.Choose(0, 255), Gen.Elements(true, false)))
                .Select(t => (t.Item1, t.Item2.Item1, t.Item2.Item2));
        PropertyCheck.ForAll(corruption, c =>
        {
            byte[] bytes = c.Truncate ? valid.AsSpan(0, c.Position).ToArray() : (byte[])valid.Clone();
            if (!c.Truncate)
            {
                bytes[c.Position] = (byte)c.Value;
            }

            TextDocument target = EncodingTests.RandomHistory(5, 20, out _);
            string text = target.ToString();
            VersionVector state = target.StateVector;
            int pending = target.PendingCount;
            try
            {
                target.ApplyUpdate(bytes);
            }
            catch (CrdtFormatException)
            {
                Assert.Equal(text, target.ToString());
                Assert.Equal(state, target.StateVector);
                Assert.Equal(pending, target.PendingCount);
            }
        }, iterations: 300);
    }
}
