using System;
using FsCheck.Fluent;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class PrimitiveTests
{
    private static readonly CrdtSerializerOptions Options = CrdtSerializerOptions.Default;

    public static TheoryData<ulong, string> UnsignedVectors => new()
    {
        { 0UL, "00" },
        { 1UL, "01" },
        { 127UL, "7f" },
        { 128UL, "80 01" },
        { 300UL, "ac 02" },
        { 16383UL, "ff 7f" },
        { 16384UL, "80 80 01" },
        { uint.MaxValue, "ff ff ff ff 0f" },
        { long.MaxValue, "ff ff ff ff ff ff ff ff 7f" },
        { ulong.MaxValue, "ff ff ff ff ff ff ff ff ff 01" },
    };

    public static TheoryData<long, ulong> ZigzagVectors => new()
    {
        { 0L, 0UL },
        { -1L, 1UL },
        { 1L, 2UL },
        { -2L, 3UL },
        { 2147483647L, 4294967294UL },
        { -2147483648L, 4294967295UL },
        { long.MaxValue, ulong.MaxValue - 1 },
        { long.MinValue, ulong.MaxValue },
    };

    [Theory]
    [MemberData(nameof(UnsignedVectors))]
    public void WriteVarUInt64_KnownValue_MatchesLeb128(ulong value, string hex)
    {
        var writer = new CrdtWriter(Options);
        writer.WriteVarUInt64(value);
        Assert.Equal(Hex.Parse(hex), writer.Body.ToArray());
        var reader = new CrdtReader(Hex.Parse(hex), Options);
        Assert.Equal(value, reader.ReadVarUInt64());
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [MemberData(nameof(ZigzagVectors))]
    public void WriteVarInt64_KnownValue_UsesZigzag(long value, ulong zigzag)
    {
        var writer = new CrdtWriter(Options);
        writer.WriteVarInt64(value);
        var expected = new CrdtWriter(Options);
        expected.WriteVarUInt64(zigzag);
        Assert.Equal(expected.Body.ToArray(), writer.Body.ToArray());
        var reader = new CrdtReader(writer.Body, Options);
        Assert.Equal(value, reader.ReadVarInt64());
    }

    [Fact]
    public void VarInt64_RandomValues_RoundTrip() =>
        PropertyCheck.ForAll(ArbMap.Default.GeneratorFor<long>(), value =>
        {
            var writer = new CrdtWriter(Options);
            writer.WriteVarInt64(value);
            writer.WriteVarUInt64((ulong)value);
            var reader = new CrdtReader(writer.Body, Options);
            Assert.Equal(value, reader.ReadVarInt64());
            Assert.Equal((ulong)value, reader.ReadVarUInt64());
            Assert.Equal(0, reader.Remaining);
        }, 1000);

    [Theory]
    [InlineData("80 00", "not minimal")]
    [InlineData("ff 00", "not minimal")]
    [InlineData("80 80 80 80 80 80 80 80 80 00", "not minimal")]
    [InlineData("80", "end of input")]
    [InlineData("ff ff", "end of input")]
    [InlineData("ff ff ff ff ff ff ff ff ff 02", "exceeds 64 bits")]
    [InlineData("ff ff ff ff ff ff ff ff ff 81 01", "exceeds 64 bits")]
    [InlineData("", "end of input")]
    public void ReadVarUInt64_MalformedVarint_ThrowsWithOffset(string hex, string reason)
    {
        byte[] data = Hex.Parse(hex);
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, Options).ReadVarUInt64());
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void ReadCount_MoreElementsThanBytesRemain_Throws()
    {
        byte[] data = Hex.Parse("05 01 02 03 04");
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, Options).ReadCount());
        Assert.Contains("only 4 bytes remain", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCount_AboveMaxElements_Throws()
    {
        var options = new CrdtSerializerOptions { MaxElements = 3 };
        byte[] data = Hex.Parse("04 01 02 03 04");
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, options).ReadCount());
        Assert.Contains("MaxElements (3)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCount_NearIntMaxValue_ThrowsBeforeAllocating()
    {
        byte[] data = Hex.Parse("ff ff ff ff 07 00");
        Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, new CrdtSerializerOptions { MaxElements = int.MaxValue }).ReadCount());
    }

    [Fact]
    public void ReadString_LengthNearIntMaxValue_ThrowsBeforeAllocating()
    {
        byte[] data = Hex.Parse("fe ff ff ff 07 41 41");
        var options = new CrdtSerializerOptions { MaxStringBytes = int.MaxValue };
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, options).ReadString());
        Assert.Contains("exceeds the 2 bytes that remain", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadString_LongerThanMaxStringBytes_Throws()
    {
        byte[] data = Hex.Parse("03 41 41 41");
        var options = new CrdtSerializerOptions { MaxStringBytes = 2 };
        Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, options).ReadString());
    }

    [Theory]
    [InlineData("01 ff")]
    [InlineData("02 c0 80")]
    [InlineData("03 ed a0 80")]
    [InlineData("02 e6 9d")]
    [InlineData("04 f4 90 80 80")]
    public void ReadString_InvalidUtf8_Throws(string hex)
    {
        byte[] data = Hex.Parse(hex);
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, Options).ReadString());
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Offset);
    }

    [Fact]
    public void WriteString_ValidText_RoundTripsAsUtf8() =>
        PropertyCheck.ForAll(EncodingGenerators.Text, text =>
        {
            var writer = new CrdtWriter(Options);
            writer.WriteString(text);
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text);
            var reader = new CrdtReader(writer.Body, Options);
            Assert.Equal((ulong)utf8.Length, reader.ReadVarUInt64());
            Assert.Equal(utf8, reader.ReadRawBytes(utf8.Length).ToArray());
            Assert.Equal(text, new CrdtReader(writer.Body, Options).ReadString());
        });

    [Fact]
    public void WriteString_UnpairedSurrogate_ThrowsArgumentException()
    {
        var writer = new CrdtWriter(Options);
        Assert.Throws<ArgumentException>(() => writer.WriteString("a\uD800b"));
    }

    [Fact]
    public void ReadBoolean_ByteOtherThanZeroOrOne_Throws()
    {
        Assert.True(new CrdtReader(new byte[] { 1 }, Options).ReadBoolean());
        Assert.Throws<CrdtFormatException>(() => new CrdtReader(new byte[] { 2 }, Options).ReadBoolean());
    }

    [Fact]
    public void ReadDouble_NonCanonicalNaN_Throws()
    {
        var writer = new CrdtWriter(Options);
        writer.WriteDouble(BitConverter.Int64BitsToDouble(0x7FF8000000000001));
        Assert.Equal(Hex.Parse("00 00 00 00 00 00 f8 7f"), writer.Body.ToArray());
        Assert.Throws<CrdtFormatException>(() => new CrdtReader(Hex.Parse("01 00 00 00 00 00 f8 7f"), Options).ReadDouble());
        Assert.Equal(-0.0, new CrdtReader(Hex.Parse("00 00 00 00 00 00 00 80"), Options).ReadDouble());
    }

    [Fact]
    public void WriteGuid_KnownGuid_WritesBigEndianTextOrder()
    {
        var writer = new CrdtWriter(Options);
        writer.WriteGuid(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"));
        Assert.Equal(Hex.Parse("00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff"), writer.Body.ToArray());
    }

    [Fact]
    public void ReadReplica_IndexOutsideTable_Throws()
    {
        var reader = new CrdtReader(Hex.Parse("01 01 61 00"), Options);
        reader.ReadReplicaTable();
        Assert.Equal("a", reader.ReadReplica().Value);
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() =>
        {
            var bad = new CrdtReader(Hex.Parse("01 01 61 01"), Options);
            bad.ReadReplicaTable();
            bad.ReadReplica();
        });
        Assert.Equal(3, ex.Offset);
    }

    [Fact]
    public void ReadReplica_IndexUsedBeforeLowerIndex_Throws()
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() =>
        {
            var reader = new CrdtReader(Hex.Parse("02 01 61 01 62 01"), Options);
            reader.ReadReplicaTable();
            reader.ReadReplica();
        });
        Assert.Contains("first used in order", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("02 01 61 01 61", "appears twice")]
    [InlineData("01 00", "1 to 1024")]
    [InlineData("01 01 ff", "UTF-8")]
    public void ReadReplicaTable_InvalidEntry_Throws(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => new CrdtReader(Hex.Parse(hex + " 00"), Options).ReadReplicaTable());
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadReplicaTable_IdLongerThanMaxLength_Throws()
    {
        var writer = new CrdtWriter(Options);
        writer.WriteCount(1);
        writer.WriteString(new string('x', 257));
        byte[] data = writer.Body.ToArray();
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => new CrdtReader(data, Options).ReadReplicaTable());
        Assert.Contains("at most 256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteReplica_SameReplicaTwice_InternsOnce()
    {
        var writer = new CrdtWriter(Options);
        writer.WriteReplica("b");
        writer.WriteReplica("a");
        writer.WriteReplica("b");
        Assert.Equal(Hex.Parse("00 01 00"), writer.Body.ToArray());
        Assert.Equal(["b", "a"], writer.Replicas.ConvertAll(r => r.Value));
    }
}
