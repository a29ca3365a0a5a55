using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;
using FsCheck.Fluent;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Protocol.Tests;

public sealed class FrameCodecTests
{
    public static IEnumerable<object[]> SampleFrames()
    {
        yield return [new HelloFrame(SyncProtocol.Version, SyncCapabilities.All, new ReplicaId("alice"))];
        yield return [new WelcomeFrame(SyncProtocol.Version, SyncCapabilities.Values | SyncCapabilities.Text, 1 << 20, 64, 15_000)];
        yield return [new ErrorFrame(0, SyncErrorCode.UnsupportedVersion, "version 9 is not supported")];
        yield return [new ErrorFrame(7, SyncErrorCode.WriteForbidden, "ünïcode ✓")];
        yield return [new PingFrame(0)];
        yield return [new PongFrame(long.MaxValue)];
        yield return [new OpenFrame(1, DocumentKind.Text, "notes/today", new byte[] { 1, 0 })];
        yield return [new OpenFrame(300, DocumentKind.Values, "cart", Array.Empty<byte>())];
        yield return [new SyncedFrame(2, new byte[] { 9, 8, 7 })];
        yield return [new UpdateFrame(2, 0, new byte[200])];
        yield return [new UpdateFrame(2, 129, new byte[] { 5 })];
        yield return [new AckFrame(2, 129, 0)];
        yield return [new AckFrame(3, 1, 77)];
        yield return [new PresenceFrame(4, default, new byte[] { 1 })];
        yield return [new PresenceFrame(4, new ReplicaId("bob"), Array.Empty<byte>())];
        yield return [new CloseFrame(4)];
    }

    [Theory]
    [MemberData(nameof(SampleFrames))]
    public void Encode_EveryFrame_DecodesToEqualFieldsAndSameBytes(SyncFrame frame)
    {
        byte[] bytes = FrameCodec.Encode(frame);
        Assert.Equal(FrameCodec.GetSize(frame), bytes.Length);
        Assert.Equal((byte)frame.Type, bytes[0]);

        SyncFrame decoded = FrameCodec.Decode(bytes);
        Assert.Equal(frame.GetType(), decoded.GetType());
        Assert.Equal(bytes, FrameCodec.Encode(decoded));
    }

    [Theory]
    [MemberData(nameof(SampleFrames))]
    public void Decode_EveryTruncation_ThrowsMalformedFrame(SyncFrame frame)
    {
        byte[] bytes = FrameCodec.Encode(frame);
        for (int length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode(bytes.AsSpan(0, length)));
            Assert.Equal(SyncErrorCode.MalformedFrame, error.Code);
        }
    }

    [Theory]
    [MemberData(nameof(SampleFrames))]
    public void Decode_TrailingByte_ThrowsMalformedFrame(SyncFrame frame)
    {
        byte[] bytes = [.. FrameCodec.Encode(frame), 0];
        var error = Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode(bytes));
        Assert.Equal(SyncErrorCode.MalformedFrame, error.Code);
    }

    [Fact]
    public void Decode_HelloWithUnknownVersion_ThrowsUnsupportedVersion()
    {
        byte[] bytes = FrameCodec.Encode(new HelloFrame(2, SyncCapabilities.All, new ReplicaId("alice")));
        var error = Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode(bytes));
        Assert.Equal(SyncErrorCode.UnsupportedVersion, error.Code);
        Assert.True(error.ClosesConnection);
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OversizedFrame_ThrowsFrameTooLargeBeforeReading()
    {
        // A frame whose first byte is not even a type: the size check comes first.
        byte[] bytes = new byte[101];
        bytes[0] = 0xFF;
        var error = Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode(bytes, maxFrameBytes: 100));
        Assert.Equal(SyncErrorCode.FrameTooLarge, error.Code);
    }

    [Fact]
    public void Decode_UnknownType_ThrowsUnknownFrameType()
    {
        var error = Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode([0x7F, 1]));
        Assert.Equal(SyncErrorCode.UnknownFrameType, error.Code);
    }

    [Fact]
    public void Decode_LengthBeyondInput_ThrowsWithoutAllocatingIt()
    {
        // Update on channel 1, sequence 0, payload length 2^62: rejected by the remaining-bytes check.
        byte[] bytes = [(byte)FrameType.Update, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
        var error = Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode(bytes));
        Assert.Equal(SyncErrorCode.MalformedFrame, error.Code);
    }

    [Fact]
    public void Decode_ChannelZeroOnDocumentFrame_ThrowsMalformedFrame()
    {
        byte[] bytes = [(byte)FrameType.Close, 0];
        Assert.Equal(SyncErrorCode.MalformedFrame, Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode(bytes)).Code);
    }

    [Fact]
    public void Decode_InvalidUtf8Name_ThrowsMalformedFrame()
    {
        byte[] bytes = [(byte)FrameType.Open, 1, 2, 2, 0xC3, 0x28, 0];
        Assert.Equal(SyncErrorCode.MalformedFrame, Assert.Throws<SyncProtocolException>(() => FrameCodec.Decode(bytes)).Code);
    }

    [Fact]
    public void Decode_OpenWithUnknownKind_DecodesSoTheServerCanAnswerUnknownKind()
    {
        byte[] bytes = FrameCodec.Encode(new OpenFrame(1, (DocumentKind)42, "doc", Array.Empty<byte>()));
        var open = Assert.IsType<OpenFrame>(FrameCodec.Decode(bytes));
        Assert.Equal((DocumentKind)42, open.Kind);
    }

    [Fact]
    public void Decode_GoldenHello_MatchesTheDocumentedBytes()
    {
        // docs/sync-protocol.md, "Example": hello, version 1, capabilities 15, replica "alice".
        byte[] expected = [0x01, 0x01, 0x0F, 0x05, (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'e'];
        Assert.Equal(expected, FrameCodec.Encode(new HelloFrame(1, SyncCapabilities.All, new ReplicaId("alice"))));
        var hello = Assert.IsType<HelloFrame>(FrameCodec.Decode(expected));
        Assert.Equal("alice", hello.Replica.Value);
    }

    [Fact]
    public void Decode_RandomMutationsOfValidFrames_OnlyEverThrowSyncProtocolException()
    {
        var random = new Random(12);
        var frames = new List<byte[]>();
        foreach (object[] sample in SampleFrames())
        {
            frames.Add(FrameCodec.Encode((SyncFrame)sample[0]));
        }

        int rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])frames[random.Next(frames.Count)].Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                SyncFrame frame = FrameCodec.Decode(bytes);
                Assert.Equal(bytes, FrameCodec.Encode(frame));
            }
            catch (SyncProtocolException)
            {
                rejected++;
            }
        }

        Assert.InRange(rejected, 1_000, 19_999);
    }

    [Fact]
    public void Decode_RandomBytes_OnlyEverThrowSyncProtocolException()
    {
        PropertyCheck.ForAll(ArbMap.Default.GeneratorFor<byte[]>(), bytes =>
        {
            try
            {
                FrameCodec.Decode(bytes);
            }
            catch (SyncProtocolException)
            {
            }
        });
    }
}
