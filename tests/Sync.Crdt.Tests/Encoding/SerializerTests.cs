using System;
using System.Buffers;
using System.IO;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class SerializerTests
{
    private static readonly CausalContext Sample = CausalContext.Create(
        VersionVector.Create(new Dot("alpha", 7), new Dot("beta", 130)),
        [new Dot("gamma", 4), new Dot("alpha", 9)]);

    [Fact]
    public void EntryPoints_SameValue_ProduceSameBytes()
    {
        byte[] array = CrdtSerializer.SerializeToBytes(Sample);
        var buffer = new ArrayBufferWriter<byte>();
        CrdtSerializer.Serialize(buffer, Sample);
        using var stream = new MemoryStream();
        CrdtSerializer.Serialize(stream, Sample);
        Assert.Equal(array, buffer.WrittenSpan.ToArray());
        Assert.Equal(array, stream.ToArray());
    }

    [Fact]
    public void EntryPoints_SameBytes_DecodeToEqualValues()
    {
        byte[] bytes = CrdtSerializer.SerializeToBytes(Sample);
        Assert.Equal(Sample, CrdtSerializer.Deserialize<CausalContext>(bytes));
        Assert.Equal(Sample, CrdtSerializer.Deserialize<CausalContext>(bytes.AsSpan()));
        Assert.Equal(Sample, CrdtSerializer.Deserialize<CausalContext>(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal(Sample, CrdtSerializer.Deserialize<CausalContext>(Segments.Split(bytes, 3)));
        Assert.Equal(Sample, CrdtSerializer.Deserialize<CausalContext>(new MemoryStream(bytes)));
        Assert.Equal(Sample, CrdtSerializer.Deserialize(bytes, CrdtCodecs.CausalContext));
    }

    [Fact]
    public void Deserialize_StreamLongerThanMaxMessageBytes_Throws()
    {
        var options = new CrdtSerializerOptions { MaxMessageBytes = 16 };
        byte[] bytes = CrdtSerializer.SerializeToBytes(Sample);
        Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<CausalContext>(new MemoryStream(bytes), options));
        Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<CausalContext>(bytes, options));
        Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<CausalContext>(Segments.Split(bytes, 5), options));
    }

    [Fact]
    public void Serialize_LargerThanMaxMessageBytes_ThrowsArgumentException()
    {
        var options = new CrdtSerializerOptions { MaxMessageBytes = 16 };
        Assert.Throws<ArgumentException>(() => CrdtSerializer.SerializeToBytes(Sample, options));
    }

    [Theory]
    [InlineData("", "too short")]
    [InlineData("53 43", "too short")]
    [InlineData("54 43 01 01 22 00 00", "magic")]
    [InlineData("53 43 00 01 22 00 00", "Unsupported format version 0")]
    [InlineData("53 43 02 01 22 00 00", "Unsupported format version 2")]
    [InlineData("53 43 ff 01 22 00 00", "Unsupported format version 255")]
    [InlineData("53 43 01 01 21 00 00", "type signature [33]")]
    [InlineData("53 43 01 01 7f 00 00", "type signature [127]")]
    [InlineData("53 43 01 02 22 01 00 00", "type signature [34, 1]")]
    [InlineData("53 43 01 41 22 00 00", "out of range")]
    [InlineData("53 43 01 05 22", "end of input")]
    public void Deserialize_BadHeader_Throws(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<VersionVector>(Hex.Parse(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_EmptyVector_Decodes()
    {
        Assert.Same(VersionVector.Empty, CrdtSerializer.Deserialize<VersionVector>(Hex.Parse("53 43 01 01 22 00 00")));
    }

    [Fact]
    public void Options_InvalidLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrdtSerializerOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrdtSerializerOptions { MaxElements = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrdtSerializerOptions { MaxMessageBytes = 15 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrdtSerializerOptions { MaxStringBytes = 0 });
    }

    [Fact]
    public void GetCodec_UnknownTypeWithoutFallback_ThrowsNotSupported()
    {
        Assert.Throws<NotSupportedException>(() => CrdtSerializerOptions.Default.GetCodec<Uri>());
    }
}
