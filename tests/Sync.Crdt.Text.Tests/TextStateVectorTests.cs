using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Text.Tests;

public class TextStateVectorTests
{
    [Fact]
    public void EncodeDecode_RoundTripsAndDrivesADiff()
    {
        TextDocument source = EncodingTests.RandomHistory(21, 50, out _);
        var peer = new TextDocument(new ReplicaId("peer"));
        peer.ApplyUpdate(source.EncodeStateAsUpdate());
        source.Insert(0, "new ");

        byte[] wire = TextStateVector.Encode(peer.StateVector);
        VersionVector decoded = TextStateVector.Decode(wire);

        Assert.Equal(peer.StateVector, decoded);
        peer.ApplyUpdate(source.EncodeStateAsUpdate(decoded));
        Assert.Equal(source.ToString(), peer.ToString());
    }

    [Fact]
    public void Encode_EmptyVector_IsFormatByteAndZeroCount() =>
        Assert.Equal(new byte[] { 1, 0 }, TextStateVector.Encode(VersionVector.Empty));

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 2, 0 })]
    [InlineData(new byte[] { 1, 1, 1, (byte)'a', 0 })]
    [InlineData(new byte[] { 1, 2, 1, (byte)'a', 1, 1, (byte)'a', 2 })]
    [InlineData(new byte[] { 1, 1, 1, (byte)'a', 1, 9 })]
    [InlineData(new byte[] { 1, 9, 1, (byte)'a', 1 })]
    public void Decode_Malformed_ThrowsCrdtFormatException(byte[] bytes) =>
        Assert.Throws<CrdtFormatException>(() => TextStateVector.Decode(bytes));
}
