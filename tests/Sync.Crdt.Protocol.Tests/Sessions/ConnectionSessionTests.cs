using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol.Sessions;
using static Sync.Crdt.Protocol.Tests.Sessions.SessionHarness;

namespace Sync.Crdt.Protocol.Tests.Sessions;

public sealed class ConnectionSessionTests
{
    private static readonly ConnectionLimits Limits = new(
        MaxFrameBytes: 1024,
        MaxDocuments: 2,
        Capabilities: SyncCapabilities.Values | SyncCapabilities.Text,
        ServerReplica: "server",
        KeepaliveInterval: 100,
        KeepaliveMilliseconds: 5000);

    private static List<ConnectionOutput> Handle(ConnectionSession session, ConnectionInput input)
    {
        var outputs = new List<ConnectionOutput>();
        session.Handle(input, outputs);
        return outputs;
    }

    private static List<ConnectionOutput> Receive(ConnectionSession session, SyncFrame frame, long now = 0) =>
        Handle(session, ConnectionInput.Received(FrameCodec.Encode(frame), now));

    private static ErrorFrame ErrorIn(List<ConnectionOutput> outputs) =>
        Assert.IsType<ErrorFrame>(Assert.Single(outputs, o => o.Kind == ConnectionOutputKind.Send && o.Frame is ErrorFrame).Frame);

    private static void AssertClosedWith(List<ConnectionOutput> outputs, SyncErrorCode code)
    {
        ErrorFrame error = ErrorIn(outputs);
        Assert.Equal((SyncProtocol.ConnectionChannel, code), (error.Channel, error.Code));
        Assert.Equal(ConnectionOutputKind.Close, outputs[^1].Kind);
    }

    private static ConnectionSession Welcomed()
    {
        var session = new ConnectionSession(Limits, 0);
        var hello = new HelloFrame(SyncProtocol.Version, SyncCapabilities.Values, Alice);
        Assert.Equal(ConnectionOutputKind.ClaimReplica, Assert.Single(Receive(session, hello)).Kind);
        Assert.IsType<WelcomeFrame>(Assert.Single(Handle(session, ConnectionInput.ReplicaClaimed(true))).Frame);
        Assert.Equal(Alice, session.Replica);
        return session;
    }

    private static OpenFrame OpenDoc(long channel, string document, DocumentKind kind = DocumentKind.Values) =>
        new(channel, kind, document, ReadOnlyMemory<byte>.Empty);

    /// <summary>Opens a channel through authorize and attach; returns the tag.</summary>
    private static object Attach(ConnectionSession session, long channel, string document, bool canWrite = true)
    {
        Assert.Equal(ConnectionOutputKind.Authorize, Assert.Single(Receive(session, OpenDoc(channel, document))).Kind);
        ConnectionOutput attach = Assert.Single(Handle(session, ConnectionInput.Authorized(channel, canRead: true, canWrite)));
        Assert.Equal((ConnectionOutputKind.Attach, canWrite), (attach.Kind, attach.CanWrite));
        object tag = new();
        Assert.Empty(Handle(session, ConnectionInput.Attached(channel, tag)));
        return tag;
    }

    [Fact]
    public void Hello_ClaimsTheReplica_ThenWelcomes()
    {
        ConnectionSession session = Welcomed();
        Assert.False(session.IsClosing);
    }

    [Fact]
    public void Garbage_ClosesTheConnection()
    {
        var session = new ConnectionSession(Limits, 0);
        AssertClosedWith(Handle(session, ConnectionInput.Received(new byte[] { 0x7F, 1, 2, 3 }, 0)), SyncErrorCode.UnknownFrameType);
        Assert.True(session.IsClosing);
        Assert.Empty(Receive(session, new HelloFrame(SyncProtocol.Version, SyncCapabilities.Values, Alice)));
    }

    [Fact]
    public void TruncatedFrame_ClosesTheConnection()
    {
        byte[] open = FrameCodec.Encode(OpenDoc(1, "doc"));
        ConnectionSession session = Welcomed();
        List<ConnectionOutput> outputs = Handle(session, ConnectionInput.Received(open.AsMemory(0, open.Length - 3), 0));
        Assert.Equal(ConnectionOutputKind.Close, outputs[^1].Kind);
        Assert.Equal(SyncProtocol.ConnectionChannel, ErrorIn(outputs).Channel);
    }

    [Fact]
    public void Oversized_ClosesTheConnection_WhetherTheTransportOrTheSessionSeesIt()
    {
        ConnectionSession decoded = Welcomed();
        AssertClosedWith(Handle(decoded, ConnectionInput.Received(new byte[Limits.MaxFrameBytes + 1], 0)), SyncErrorCode.FrameTooLarge);
        ConnectionSession reported = Welcomed();
        AssertClosedWith(Handle(reported, ConnectionInput.Violation(SyncErrorCode.FrameTooLarge, "too large")), SyncErrorCode.FrameTooLarge);
    }

    [Fact]
    public void FrameBeforeHello_SecondHello_AndServerFrames_CloseTheConnection()
    {
        AssertClosedWith(Receive(new ConnectionSession(Limits, 0), new PingFrame(1)), SyncErrorCode.HelloExpected);
        AssertClosedWith(Receive(Welcomed(), new HelloFrame(SyncProtocol.Version, SyncCapabilities.Values, Alice)), SyncErrorCode.HelloExpected);
        AssertClosedWith(Receive(Welcomed(), new AckFrame(1, 1, 0)), SyncErrorCode.MalformedFrame);
    }

    [Fact]
    public void UnsupportedVersion_ClosesTheConnection()
    {
        byte[] hello = FrameCodec.Encode(new HelloFrame(SyncProtocol.Version, SyncCapabilities.Values, Alice));
        hello[1] = (byte)(SyncProtocol.Version + 1);
        AssertClosedWith(Handle(new ConnectionSession(Limits, 0), ConnectionInput.Received(hello, 0)), SyncErrorCode.UnsupportedVersion);
    }

    [Fact]
    public void ServerReplica_OrRejectedClaim_IsRejected()
    {
        AssertClosedWith(Receive(new ConnectionSession(Limits, 0), new HelloFrame(SyncProtocol.Version, SyncCapabilities.Values, Server)), SyncErrorCode.ReplicaRejected);
        var session = new ConnectionSession(Limits, 0);
        Receive(session, new HelloFrame(SyncProtocol.Version, SyncCapabilities.Values, Bob));
        AssertClosedWith(Handle(session, ConnectionInput.ReplicaClaimed(false, "in use")), SyncErrorCode.ReplicaRejected);
        Assert.True(session.Replica.IsDefault);
    }

    [Fact]
    public void Open_RefusesUnknownKind_ChannelInUse_AndTooManyDocuments_OnTheChannel()
    {
        ConnectionSession session = Welcomed();
        ErrorFrame unknown = ErrorIn(Receive(session, OpenDoc(1, "ot-doc", DocumentKind.Ot)));
        Assert.Equal((1L, SyncErrorCode.UnknownKind), (unknown.Channel, unknown.Code));
        ErrorFrame undefined = ErrorIn(Receive(session, OpenDoc(1, "weird", (DocumentKind)77)));
        Assert.Equal(SyncErrorCode.UnknownKind, undefined.Code);

        Attach(session, 1, "a");
        Assert.Equal(SyncErrorCode.ChannelInUse, ErrorIn(Receive(session, OpenDoc(1, "b"))).Code);
        Assert.Equal(SyncErrorCode.ChannelInUse, ErrorIn(Receive(session, OpenDoc(2, "a"))).Code);
        Attach(session, 2, "b");
        ErrorFrame tooMany = ErrorIn(Receive(session, OpenDoc(3, "c")));
        Assert.Equal((3L, SyncErrorCode.TooManyDocuments), (tooMany.Channel, tooMany.Code));
        Assert.False(session.IsClosing);
        Assert.Equal(2, session.ChannelCount);
    }

    [Fact]
    public void Open_ReadForbidden_OrAnotherKind_FreesTheChannel()
    {
        ConnectionSession session = Welcomed();
        Receive(session, OpenDoc(1, "secret"));
        Assert.Equal(SyncErrorCode.ReadForbidden, ErrorIn(Handle(session, ConnectionInput.Authorized(1, canRead: false, canWrite: false))).Code);
        Receive(session, OpenDoc(1, "text-doc"));
        Handle(session, ConnectionInput.Authorized(1, canRead: true, canWrite: true));
        Assert.Equal(SyncErrorCode.UnknownKind, ErrorIn(Handle(session, ConnectionInput.AttachRejected(1))).Code);
        Assert.Equal(0, session.ChannelCount);
        Attach(session, 1, "fine");
    }

    [Fact]
    public void DocumentFrames_AreRoutedToTheirChannel_UnknownChannelsRefused()
    {
        ConnectionSession session = Welcomed();
        object tag = Attach(session, 4, "doc");
        var update = new UpdateFrame(4, 1, new byte[] { 1, 2 });
        ConnectionOutput forward = Assert.Single(Receive(session, update));
        Assert.Equal(ConnectionOutputKind.Forward, forward.Kind);
        Assert.Same(tag, forward.Tag);
        ErrorFrame unknown = ErrorIn(Receive(session, new UpdateFrame(5, 1, new byte[] { 1 })));
        Assert.Equal((5L, SyncErrorCode.UnknownChannel), (unknown.Channel, unknown.Code));

        ConnectionOutput detach = Assert.Single(Receive(session, new CloseFrame(4)));
        Assert.Equal((ConnectionOutputKind.Detach, tag), (detach.Kind, detach.Tag));
        Assert.Equal(SyncErrorCode.UnknownChannel, ErrorIn(Receive(session, update)).Code);
    }

    [Fact]
    public void ChannelFailure_ReleasesTheChannel_ConnectionLevelCodesClose()
    {
        ConnectionSession session = Welcomed();
        object tag = Attach(session, 1, "doc");
        List<ConnectionOutput> failed = Handle(session, ConnectionInput.ChannelFailed(1, SyncErrorCode.WriteForbidden, "no"));
        Assert.Equal((ConnectionOutputKind.Release, tag), (failed[0].Kind, failed[0].Tag));
        Assert.Equal((1L, SyncErrorCode.WriteForbidden), (ErrorIn(failed).Channel, ErrorIn(failed).Code));
        Assert.False(session.IsClosing);

        object other = Attach(session, 2, "other");
        AssertClosedWith(Handle(session, ConnectionInput.ChannelFailed(2, SyncErrorCode.ForgedDots, "forged")), SyncErrorCode.ForgedDots);

        // Closed: later frames are ignored; the transport's end detaches what is still attached.
        Assert.Empty(Receive(session, new PingFrame(9)));
        ConnectionOutput detach = Assert.Single(Handle(session, ConnectionInput.Closed()));
        Assert.Equal((ConnectionOutputKind.Detach, other), (detach.Kind, detach.Tag));
    }

    [Fact]
    public void Keepalive_PingsWhenIdle_AndClosesAfterTwoSilentIntervals()
    {
        ConnectionSession session = Welcomed();
        Assert.Empty(Handle(session, ConnectionInput.Tick(now: 50, lastSent: 0)));
        Assert.IsType<PingFrame>(Assert.Single(Handle(session, ConnectionInput.Tick(now: 100, lastSent: 0))).Frame);
        Assert.IsType<PongFrame>(Assert.Single(Receive(session, new PingFrame(3), now: 150)).Frame);
        Assert.Empty(Handle(session, ConnectionInput.Tick(now: 350, lastSent: 300)));
        AssertClosedWith(Handle(session, ConnectionInput.Tick(now: 351, lastSent: 300)), SyncErrorCode.KeepaliveTimeout);
    }

    [Fact]
    public void Shutdown_ClosesOnce()
    {
        ConnectionSession session = Welcomed();
        AssertClosedWith(Handle(session, ConnectionInput.Fail(SyncErrorCode.ServerShutdown, "bye")), SyncErrorCode.ServerShutdown);
        Assert.Empty(Handle(session, ConnectionInput.Fail(SyncErrorCode.ServerShutdown, "bye")));
    }

    [Fact]
    public void RandomBytes_NeverThrow_AndEitherCloseOrAnswer()
    {
        var random = new Random(12);
        for (int i = 0; i < 2000; i++)
        {
            ConnectionSession session = Welcomed();
            byte[] bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            List<ConnectionOutput> outputs = Handle(session, ConnectionInput.Received(bytes, 0));
            Assert.True(session.IsClosing == (outputs.Count > 0 && outputs[^1].Kind == ConnectionOutputKind.Close));
        }
    }
}
