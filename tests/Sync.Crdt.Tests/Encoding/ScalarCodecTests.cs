using System;
using System.Text.Json;
using FsCheck.Fluent;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class ScalarCodecTests
{
    [Fact]
    public void Integers_Extremes_RoundTrip()
    {
        CodecAssert.BinaryRoundTrips(sbyte.MinValue);
        CodecAssert.BinaryRoundTrips(byte.MaxValue);
        CodecAssert.BinaryRoundTrips(short.MinValue);
        CodecAssert.BinaryRoundTrips(ushort.MaxValue);
        CodecAssert.BinaryRoundTrips(int.MinValue);
        CodecAssert.BinaryRoundTrips(uint.MaxValue);
        CodecAssert.BinaryRoundTrips(long.MinValue);
        CodecAssert.BinaryRoundTrips(ulong.MaxValue);
    }

    [Fact]
    public void Int32_KnownValue_IsZigzagVarintAfterHeader()
    {
        // header: magic, version, signature [7], empty replica table; body: zigzag(-3) = 5.
        Assert.Equal(Hex.Parse("53 43 01 01 07 00 05"), CrdtSerializer.SerializeToBytes(-3));
    }

    [Fact]
    public void Int16_ValueOutOfRange_Throws()
    {
        // zigzag 65536 = 32768, one past short.MaxValue.
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<short>(Hex.Parse("53 43 01 01 05 00 80 80 04")));
        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int64_RandomValues_RoundTrip() =>
        PropertyCheck.ForAll(ArbMap.Default.GeneratorFor<long>(), value => CodecAssert.BinaryRoundTrips(value), 300);

    [Fact]
    public void Strings_RandomValidText_RoundTrip() =>
        PropertyCheck.ForAll(EncodingGenerators.Text, text => CodecAssert.BinaryRoundTrips(text), 300);

    [Fact]
    public void Doubles_SpecialValues_RoundTripBitExactly()
    {
        foreach (double value in new[] { 0.0, -0.0, double.Epsilon, double.MaxValue, double.NegativeInfinity, double.PositiveInfinity, Math.PI })
        {
            byte[] bytes = CrdtSerializer.SerializeToBytes(value);
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(CrdtSerializer.Deserialize<double>(bytes)));
        }

        Assert.True(double.IsNaN(CrdtSerializer.Deserialize<double>(CrdtSerializer.SerializeToBytes(double.NaN))));
    }

    [Fact]
    public void OtherScalars_RoundTrip()
    {
        CodecAssert.BinaryRoundTrips(true);
        CodecAssert.BinaryRoundTrips(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        byte[] blob = [0, 1, 2, 255];
        Assert.Equal(blob, CrdtSerializer.Deserialize<byte[]>(CrdtSerializer.SerializeToBytes(blob)));
        Assert.Empty(CrdtSerializer.Deserialize<byte[]>(CrdtSerializer.SerializeToBytes(Array.Empty<byte>())));
    }

    [Fact]
    public void DateTimeOffset_OffsetsAndExtremes_RoundTripExactly()
    {
        DateTimeOffset[] values =
        [
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
            new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.FromHours(14)).AddTicks(1234567),
            new DateTimeOffset(1, 1, 1, 14, 0, 0, TimeSpan.FromHours(14)),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(-570)),
        ];
        foreach (DateTimeOffset value in values)
        {
            DateTimeOffset back = CrdtSerializer.Deserialize<DateTimeOffset>(CrdtSerializer.SerializeToBytes(value));
            Assert.True(value.EqualsExact(back), $"{value:O} came back as {back:O}");
        }
    }

    [Fact]
    public void DateTimeOffset_LocalTimeOutOfRange_Throws()
    {
        // UTC tick 0 with offset -60 minutes: local time before 0001-01-01.
        var writer = new CrdtWriter(CrdtSerializerOptions.Default);
        writer.WriteVarUInt64(0);
        writer.WriteVarInt64(-60);
        byte[] message = [.. Hex.Parse("53 43 01 01 0e 00"), .. writer.Body];
        Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<DateTimeOffset>(message));
    }

    [Fact]
    public void NullReferences_Rejected()
    {
        Assert.Throws<ArgumentNullException>(() => CrdtSerializer.SerializeToBytes<string>(null!));
        Assert.Throws<ArgumentNullException>(() => CrdtSerializer.SerializeToBytes<byte[]>(null!));
    }

    [Fact]
    public void WithCodec_CustomType_UsedForEncoding()
    {
        CrdtSerializerOptions options = CrdtSerializerOptions.Default.WithCodec(new PointCodec());
        var point = new Point(-4, 9);
        byte[] bytes = CodecAssert.BinaryRoundTrips(point, options);

        // signature [1024] is the varint 80 08.
        Assert.Equal(Hex.Parse("53 43 01 02 80 08 00 07 12"), bytes);
        Assert.Throws<NotSupportedException>(() => CrdtSerializer.SerializeToBytes(point));
    }

    [Fact]
    public void WithCodec_TagBelowOne_Throws()
    {
        Assert.Throws<ArgumentException>(() => CrdtSerializerOptions.Default.WithCodec(new PointCodec(tag: 0)));
    }

    [Fact]
    public void JsonFallback_UnregisteredRecord_RoundTripsAsJson()
    {
        CrdtSerializerOptions options = CrdtSerializerOptions.Default.WithJsonFallback();
        var point = new Point(3, 5);
        byte[] bytes = CodecAssert.BinaryRoundTrips(point, options);
        Assert.Contains("\"X\":3", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(CrdtTypeTags.Json, bytes[4]);
    }

    [Fact]
    public void JsonFallback_MalformedPayload_ThrowsCrdtFormatException()
    {
        var codec = new JsonFallbackCodec<Point>(new JsonSerializerOptions());
        byte[] message = Hex.Parse("53 43 01 01 10 00 03 7b 22 58");
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize(message, codec));
        Assert.IsType<JsonException>(ex.InnerException);
        Assert.Equal(6, ex.Offset);
    }

    /// <summary>An application type with its own codec.</summary>
    public sealed record Point(int X, int Y);

    private sealed class PointCodec(int tag = CrdtTypeTags.FirstApplicationTag) : ICrdtValueCodec<Point>
    {
        public int TypeTag => tag;

        public System.Collections.Generic.IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, Point value)
        {
            writer.WriteVarInt64(value.X);
            writer.WriteVarInt64(value.Y);
        }

        public Point Decode(ref CrdtReader reader) =>
            new((int)reader.ReadVarInt64(int.MinValue, int.MaxValue, "X"), (int)reader.ReadVarInt64(int.MinValue, int.MaxValue, "Y"));
    }
}
