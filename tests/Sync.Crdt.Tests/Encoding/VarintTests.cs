using System;
using System.Buffers;
using FsCheck.Fluent;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class VarintTests
{
    public static TheoryData<ulong, string> UnsignedVectors => PrimitiveTests.UnsignedVectors;

    [Theory]
    [MemberData(nameof(UnsignedVectors))]
    public void WriteAndTryRead_KnownValue_MatchLeb128(ulong value, string hex)
    {
        byte[] expected = Hex.Parse(hex);
        Span<byte> buffer = stackalloc byte[Varint.MaxLength + 2];
        buffer.Fill(0xEE);

        int written = Varint.Write(buffer, value);

        Assert.Equal(expected, buffer[..written].ToArray());
        Assert.Equal(expected.Length, Varint.GetSize(value));
        Assert.Equal(0xEE, buffer[written]);
        Assert.Equal(OperationStatus.Done, Varint.TryRead(buffer, out ulong read, out int consumed));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, consumed);
    }

    [Fact]
    public void GetSize_EveryBitLength_IsMinimalLength()
    {
        for (int bits = 0; bits <= 64; bits++)
        {
            ulong value = bits == 0 ? 0 : bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            int expected = Math.Max(1, (bits + 6) / 7);
            Assert.Equal(expected, Varint.GetSize(value));
            if (bits < 64)
            {
                Assert.Equal(Math.Max(1, (bits + 7) / 7), Varint.GetSize(value + 1));
            }
        }
    }

    [Fact]
    public void RandomValues_RoundTripWithExactSize() =>
        PropertyCheck.ForAll(Gen.Zip(ArbMap.Default.GeneratorFor<ulong>(), Gen.Choose(0, 63)), t =>
        {
            ulong value = t.Item1 >> t.Item2;
            Span<byte> buffer = stackalloc byte[Varint.MaxLength];
            int written = Varint.Write(buffer, value);
            Assert.Equal(Varint.GetSize(value), written);
            Assert.Equal(OperationStatus.Done, Varint.TryRead(buffer[..written], out ulong read, out int consumed));
            Assert.Equal(value, read);
            Assert.Equal(written, consumed);

            // Every strict prefix needs more data.
            Assert.Equal(OperationStatus.NeedMoreData, Varint.TryRead(buffer[..(written - 1)], out _, out _));
        }, 1000);

    [Theory]
    [InlineData("80 00", 2)]
    [InlineData("ff 00", 2)]
    [InlineData("81 80 00", 3)]
    [InlineData("80 80 80 80 80 80 80 80 80 00", 10)]
    [InlineData("ff ff ff ff ff ff ff ff ff 02", 10)]
    [InlineData("ff ff ff ff ff ff ff ff ff 81 01", 10)]
    [InlineData("ff ff ff ff ff ff ff ff ff 7f", 10)]
    public void TryRead_NonMinimalOrOver64Bits_IsInvalidAtTheOffendingByte(string hex, int consumed)
    {
        byte[] data = Hex.Parse(hex);
        Assert.Equal(OperationStatus.InvalidData, Varint.TryRead(data, out ulong value, out int bytes));
        Assert.Equal(0UL, value);
        Assert.Equal(consumed, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("ff ff ff")]
    [InlineData("80 80 80 80 80 80 80 80 80")]
    public void TryRead_Truncated_NeedsMoreData(string hex)
    {
        byte[] data = Hex.Parse(hex);
        Assert.Equal(OperationStatus.NeedMoreData, Varint.TryRead(data, out ulong value, out int bytes));
        Assert.Equal(0UL, value);
        Assert.Equal(data.Length, bytes);
    }

    [Fact]
    public void TryRead_ZeroAndTrailingBytes_ReadsOnlyTheVarint()
    {
        Assert.Equal(OperationStatus.Done, Varint.TryRead([0x00, 0x00], out ulong zero, out int one));
        Assert.Equal(0UL, zero);
        Assert.Equal(1, one);
        Assert.Equal(OperationStatus.Done, Varint.TryRead([0x80, 0x01, 0xFF], out ulong value, out int two));
        Assert.Equal(128UL, value);
        Assert.Equal(2, two);
    }

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(128UL, 1)]
    [InlineData(ulong.MaxValue, 9)]
    public void Write_DestinationTooShort_ThrowsAndWritesNothing(ulong value, int length)
    {
        byte[] buffer = new byte[length + 1];
        Array.Fill(buffer, (byte)0xEE);
        Assert.Throws<ArgumentException>(() => Varint.Write(buffer.AsSpan(0, length), value));
        Assert.All(buffer, b => Assert.Equal(0xEE, b));
    }
}
