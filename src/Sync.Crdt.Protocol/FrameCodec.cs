using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Protocol;

/// <summary>Encodes and decodes frames (docs/sync-protocol.md, "Frames").</summary>
/// <remarks>
/// <para>Decoding validates everything before returning: the size limit first (before any field is read), then every
/// field, with lengths checked against the remaining bytes before anything is allocated, and no trailing bytes. Every
/// rejection is a <see cref="SyncProtocolException"/> whose code is the error frame to answer with.</para>
/// <para>Encoding allocates exactly one array of the frame's size. O(frame size). Stateless and thread-safe.</para>
/// </remarks>
public static class FrameCodec
{
    /// <summary>The default largest frame, in bytes (1 MiB).</summary>
    public const int DefaultMaxFrameBytes = 1 << 20;

    /// <summary>Encodes a frame.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>A new array holding exactly the frame.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="frame"/> is <see langword="null"/>.</exception>
    public static byte[] Encode(SyncFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        byte[] bytes = new byte[GetSize(frame)];
        var writer = new SpanWriter(bytes);
        writer.WriteByte((byte)frame.Type);
        switch (frame)
        {
            case HelloFrame hello:
                writer.WriteVarint(hello.Version);
                writer.WriteVarint((long)hello.Capabilities);
                writer.WriteReplica(hello.Replica);
                break;
            case WelcomeFrame welcome:
                writer.WriteVarint(welcome.Version);
                writer.WriteVarint((long)welcome.Capabilities);
                writer.WriteVarint(welcome.MaxFrameBytes);
                writer.WriteVarint(welcome.MaxDocuments);
                writer.WriteVarint(welcome.KeepaliveMilliseconds);
                break;
            case ErrorFrame error:
                writer.WriteVarint(error.Channel);
                writer.WriteVarint((long)error.Code);
                writer.WriteString(error.Message);
                break;
            case PingFrame ping:
                writer.WriteVarint(ping.Nonce);
                break;
            case PongFrame pong:
                writer.WriteVarint(pong.Nonce);
                break;
            case OpenFrame open:
                writer.WriteVarint(open.Channel);
                writer.WriteVarint((long)open.Kind);
                writer.WriteString(open.Document);
                writer.WriteBytes(open.Handshake.Span);
                break;
            case SyncedFrame synced:
                writer.WriteVarint(synced.Channel);
                writer.WriteBytes(synced.Payload.Span);
                break;
            case UpdateFrame update:
                writer.WriteVarint(update.Channel);
                writer.WriteVarint(update.Sequence);
                writer.WriteBytes(update.Payload.Span);
                break;
            case AckFrame ack:
                writer.WriteVarint(ack.Channel);
                writer.WriteVarint(ack.Sequence);
                writer.WriteVarint(ack.Revision);
                break;
            case PresenceFrame presence:
                writer.WriteVarint(presence.Channel);
                writer.WriteReplica(presence.Replica);
                writer.WriteBytes(presence.Payload.Span);
                break;
            case CloseFrame close:
                writer.WriteVarint(close.Channel);
                break;
            default:
                throw new ArgumentException($"Unknown frame class {frame.GetType()}.", nameof(frame));
        }

        return bytes;
    }

    /// <summary>Returns the encoded size of a frame without encoding it.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The size in bytes.</returns>
    public static int GetSize(SyncFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return 1 + frame switch
        {
            HelloFrame hello => SpanWriter.VarintSize(hello.Version) + SpanWriter.VarintSize((long)hello.Capabilities) + SpanWriter.ReplicaSize(hello.Replica),
            WelcomeFrame welcome => SpanWriter.VarintSize(welcome.Version) + SpanWriter.VarintSize((long)welcome.Capabilities) + SpanWriter.VarintSize(welcome.MaxFrameBytes)
                + SpanWriter.VarintSize(welcome.MaxDocuments) + SpanWriter.VarintSize(welcome.KeepaliveMilliseconds),
            ErrorFrame error => SpanWriter.VarintSize(error.Channel) + SpanWriter.VarintSize((long)error.Code) + SpanWriter.StringSize(error.Message),
            PingFrame ping => SpanWriter.VarintSize(ping.Nonce),
            PongFrame pong => SpanWriter.VarintSize(pong.Nonce),
            OpenFrame open => SpanWriter.VarintSize(open.Channel) + SpanWriter.VarintSize((long)open.Kind) + SpanWriter.StringSize(open.Document) + SpanWriter.BytesSize(open.Handshake.Length),
            SyncedFrame synced => SpanWriter.VarintSize(synced.Channel) + SpanWriter.BytesSize(synced.Payload.Length),
            UpdateFrame update => SpanWriter.VarintSize(update.Channel) + SpanWriter.VarintSize(update.Sequence) + SpanWriter.BytesSize(update.Payload.Length),
            AckFrame ack => SpanWriter.VarintSize(ack.Channel) + SpanWriter.VarintSize(ack.Sequence) + SpanWriter.VarintSize(ack.Revision),
            PresenceFrame presence => SpanWriter.VarintSize(presence.Channel) + SpanWriter.ReplicaSize(presence.Replica) + SpanWriter.BytesSize(presence.Payload.Length),
            CloseFrame close => SpanWriter.VarintSize(close.Channel),
            _ => throw new ArgumentException($"Unknown frame class {frame.GetType()}.", nameof(frame)),
        };
    }

    /// <summary>Decodes one frame, copying its payload out of <paramref name="data"/> (which may be reused afterwards).</summary>
    /// <param name="data">Exactly one frame.</param>
    /// <param name="maxFrameBytes">The size limit, checked before anything is read.</param>
    /// <returns>The frame.</returns>
    /// <exception cref="SyncProtocolException">The frame is too large (<see cref="SyncErrorCode.FrameTooLarge"/>), of an
    /// unknown type (<see cref="SyncErrorCode.UnknownFrameType"/>) or malformed (<see cref="SyncErrorCode.MalformedFrame"/>).</exception>
    public static SyncFrame Decode(ReadOnlySpan<byte> data, int maxFrameBytes = DefaultMaxFrameBytes)
    {
        if (data.Length > maxFrameBytes)
        {
            throw new SyncProtocolException(SyncErrorCode.FrameTooLarge, $"The frame has {data.Length} bytes; the limit is {maxFrameBytes}.");
        }

        var reader = new SpanReader(data);
        byte type = reader.ReadByte();
        SyncFrame frame = type switch
        {
            (byte)FrameType.Hello => ReadHello(ref reader),
            (byte)FrameType.Welcome => new WelcomeFrame(
                Positive(reader.ReadInt(), "version"), (SyncCapabilities)reader.ReadLong(), Positive(reader.ReadInt(), "frame limit"), Positive(reader.ReadInt(), "document limit"), reader.ReadLong()),
            (byte)FrameType.Error => new ErrorFrame(reader.ReadLong(), (SyncErrorCode)reader.ReadInt(), reader.ReadString(4096)),
            (byte)FrameType.Ping => new PingFrame(reader.ReadLong()),
            (byte)FrameType.Pong => new PongFrame(reader.ReadLong()),
            (byte)FrameType.Open => ReadOpen(ref reader),
            (byte)FrameType.Synced => new SyncedFrame(Positive(reader.ReadLong(), "channel"), reader.ReadBytes().ToArray()),
            (byte)FrameType.Update => new UpdateFrame(Positive(reader.ReadLong(), "channel"), reader.ReadLong(), reader.ReadBytes().ToArray()),
            (byte)FrameType.Ack => new AckFrame(Positive(reader.ReadLong(), "channel"), Positive(reader.ReadLong(), "sequence"), reader.ReadLong()),
            (byte)FrameType.Presence => ReadPresence(ref reader),
            (byte)FrameType.Close => new CloseFrame(Positive(reader.ReadLong(), "channel")),
            _ => throw new SyncProtocolException(SyncErrorCode.UnknownFrameType, $"Unknown frame type 0x{type:x2}."),
        };
        reader.ExpectEnd();
        return frame;
    }

    private static HelloFrame ReadHello(ref SpanReader reader)
    {
        int version = Positive(reader.ReadInt(), "version");
        var capabilities = (SyncCapabilities)reader.ReadLong();
        if (version != SyncProtocol.Version)
        {
            throw new SyncProtocolException(SyncErrorCode.UnsupportedVersion, $"Protocol version {version} is not supported; this server speaks version {SyncProtocol.Version}.");
        }

        return new HelloFrame(version, capabilities, reader.ReadReplica());
    }

    private static OpenFrame ReadOpen(ref SpanReader reader)
    {
        long channel = Positive(reader.ReadLong(), "channel");
        var kind = (DocumentKind)reader.ReadInt(255);
        int at = reader.Position;
        string document = reader.ReadString(DocumentCommit.MaxDocumentNameLength);
        try
        {
            DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        }
        catch (ArgumentException e)
        {
            throw new SyncProtocolException(SyncErrorCode.MalformedFrame, $"The document name at byte {at} is invalid: {e.Message}", e);
        }

        return new OpenFrame(channel, kind, document, reader.ReadBytes().ToArray());
    }

    private static PresenceFrame ReadPresence(ref SpanReader reader)
    {
        long channel = Positive(reader.ReadLong(), "channel");
        int at = reader.Position;
        string replica = reader.ReadString(ReplicaId.MaxLength);
        ReplicaId id = default;
        if (replica.Length > 0 && !ReplicaId.TryParse(replica, out id))
        {
            throw new SyncProtocolException(SyncErrorCode.MalformedFrame, $"The replica id at byte {at} is invalid.");
        }

        return new PresenceFrame(channel, id, reader.ReadBytes().ToArray());
    }

    private static T Positive<T>(T value, string what)
        where T : System.Numerics.INumber<T>
    {
        if (value <= T.Zero)
        {
            throw new SyncProtocolException(SyncErrorCode.MalformedFrame, $"The frame's {what} must be positive.");
        }

        return value;
    }
}
