using System;
using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>
/// The protocol state machine of one server connection, sans I/O: the hello and version check, the replica claim,
/// opening and closing channels within the per-connection limit, routing document frames to their channel, keepalive
/// and the decision which errors close a channel and which close the connection. Decisions that need the outside world
/// (the authorization policy, the replica registry, loading a document) are asked for as outputs and answered as inputs.
/// </summary>
/// <remarks>
/// <para>A violation of the connection protocol (garbage, an unknown frame type, an oversized frame, a frame before the
/// hello, a second hello, a server-only frame) emits an error frame on channel 0 and <see cref="ConnectionOutputKind.Close"/>;
/// every later input except <see cref="ConnectionInputKind.Closed"/> is ignored (a document's failure only releases its
/// channel). Document-level refusals (channel in use, too many documents, unknown kind, read forbidden, unknown channel)
/// answer with an error frame on that channel and leave the connection open.</para>
/// <para>Thread safety: none; the adapter serializes inputs (its read loop, keepalive timer and documents' failures).</para>
/// </remarks>
internal sealed class ConnectionSession
{
    private readonly ConnectionLimits _limits;
    private readonly Dictionary<long, Channel> _channels = [];
    private long _lastReceived;
    private long _pingNonce;
    private HelloFrame? _claim;

    public ConnectionSession(ConnectionLimits limits, long now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _lastReceived = now;
    }

    /// <summary>The replica the hello claimed, once the claim was accepted; default before.</summary>
    public ReplicaId Replica { get; private set; }

    /// <summary>Whether the connection failed: it only waits for <see cref="ConnectionInputKind.Closed"/>.</summary>
    public bool IsClosing { get; private set; }

    /// <summary>Channels open or being opened.</summary>
    public int ChannelCount => _channels.Count;

    /// <summary>Handles one input, appending what to do to <paramref name="outputs"/> in order.</summary>
    public void Handle(in ConnectionInput input, List<ConnectionOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (input.Kind == ConnectionInputKind.Closed)
        {
            DetachAll(outputs);
            IsClosing = true;
            return;
        }

        if (IsClosing)
        {
            // Keep reference counts right: a document that failed a channel no longer holds it.
            if (input.Kind == ConnectionInputKind.ChannelFailed && _channels.Remove(input.Channel, out Channel? gone) && gone.Tag is { } tag)
            {
                outputs.Add(ConnectionOutput.Release(tag));
            }

            return;
        }

        try
        {
            switch (input.Kind)
            {
                case ConnectionInputKind.Received:
                    _lastReceived = input.Now;
                    Receive(input.Bytes, outputs);
                    break;
                case ConnectionInputKind.Violation:
                case ConnectionInputKind.Fail:
                    Fail(input.Code, input.Message ?? input.Code.ToString(), outputs);
                    break;
                case ConnectionInputKind.ReplicaClaimed:
                    OnClaimed(input.CanWrite, input.Message, outputs);
                    break;
                case ConnectionInputKind.Authorized:
                    OnAuthorized(input, outputs);
                    break;
                case ConnectionInputKind.Attached:
                    PendingChannel(input.Channel).Tag = input.Tag ?? throw new ArgumentException("An attached channel needs a tag.", nameof(input));
                    break;
                case ConnectionInputKind.AttachRejected:
                    Channel rejected = PendingChannel(input.Channel);
                    _channels.Remove(input.Channel);
                    outputs.Add(ConnectionOutput.Send(new ErrorFrame(input.Channel, SyncErrorCode.UnknownKind, $"Document '{rejected.Document}' is of another kind.")));
                    break;
                case ConnectionInputKind.ChannelFailed:
                    OnChannelFailed(input, outputs);
                    break;
                case ConnectionInputKind.Tick:
                    OnTick(input.Now, input.LastSent, outputs);
                    break;
            }
        }
        catch (SyncProtocolException e)
        {
            Fail(e.Code, e.Message, outputs);
        }
    }

    private void OnClaimed(bool accepted, string? reason, List<ConnectionOutput> outputs)
    {
        HelloFrame hello = _claim ?? throw new InvalidOperationException("No replica claim is outstanding.");
        _claim = null;
        if (!accepted)
        {
            Fail(SyncErrorCode.ReplicaRejected, reason ?? $"Replica id {hello.Replica} is in use by another connection.", outputs);
            return;
        }

        Replica = hello.Replica;
        outputs.Add(ConnectionOutput.Send(new WelcomeFrame(SyncProtocol.Version, _limits.Capabilities, _limits.MaxFrameBytes, _limits.MaxDocuments, _limits.KeepaliveMilliseconds)));
    }

    private static SyncCapabilities Needed(DocumentKind kind) => kind switch
    {
        DocumentKind.Values => SyncCapabilities.Values,
        DocumentKind.Text => SyncCapabilities.Text,
        DocumentKind.Ot => SyncCapabilities.Ot,
        _ => SyncCapabilities.None,
    };

    private void Receive(ReadOnlyMemory<byte> bytes, List<ConnectionOutput> outputs)
    {
        if (bytes.Length > _limits.MaxFrameBytes)
        {
            throw new SyncProtocolException(SyncErrorCode.FrameTooLarge, string.Create(CultureInfo.InvariantCulture, $"A frame exceeds the limit of {_limits.MaxFrameBytes} bytes."));
        }

        SyncFrame frame = FrameCodec.Decode(bytes.Span, _limits.MaxFrameBytes);
        if (Replica.IsDefault)
        {
            if (frame is not HelloFrame hello || _claim is not null)
            {
                throw new SyncProtocolException(SyncErrorCode.HelloExpected, "The first frame must be a hello.");
            }

            if (hello.Replica.Value == _limits.ServerReplica)
            {
                throw new SyncProtocolException(SyncErrorCode.ReplicaRejected, $"Replica id {hello.Replica} is the server's.");
            }

            _claim = hello;
            outputs.Add(ConnectionOutput.ClaimReplica(hello));
            return;
        }

        switch (frame)
        {
            case HelloFrame:
                throw new SyncProtocolException(SyncErrorCode.HelloExpected, "A connection sends one hello.");
            case PingFrame ping:
                outputs.Add(ConnectionOutput.Send(new PongFrame(ping.Nonce)));
                break;
            case PongFrame:
                break;
            case OpenFrame open:
                Open(open, outputs);
                break;
            case CloseFrame close:
                if (_channels.Remove(close.Channel, out Channel? closed) && closed.Tag is { } tag)
                {
                    outputs.Add(ConnectionOutput.Detach(tag));
                }

                break;
            case UpdateFrame update:
                Forward(update.Channel, frame, outputs);
                break;
            case PresenceFrame presence:
                Forward(presence.Channel, frame, outputs);
                break;
            default:
                throw new SyncProtocolException(SyncErrorCode.MalformedFrame, $"A client may not send {frame.Type} frames.");
        }
    }

    private void Open(OpenFrame open, List<ConnectionOutput> outputs)
    {
        if (_channels.ContainsKey(open.Channel) || IsOpen(open.Document))
        {
            outputs.Add(ConnectionOutput.Send(new ErrorFrame(open.Channel, SyncErrorCode.ChannelInUse, $"Channel {open.Channel} or document '{open.Document}' is already open.")));
            return;
        }

        if (_channels.Count >= _limits.MaxDocuments)
        {
            outputs.Add(ConnectionOutput.Send(new ErrorFrame(open.Channel, SyncErrorCode.TooManyDocuments, $"A connection may have {_limits.MaxDocuments} documents open.")));
            return;
        }

        SyncCapabilities needed = Needed(open.Kind);
        if (needed == SyncCapabilities.None || (_limits.Capabilities & needed) == 0)
        {
            outputs.Add(ConnectionOutput.Send(new ErrorFrame(open.Channel, SyncErrorCode.UnknownKind, $"Document kind {(int)open.Kind} is not served.")));
            return;
        }

        _channels.Add(open.Channel, new Channel(open));
        outputs.Add(ConnectionOutput.Authorize(open));
    }

    private void OnAuthorized(in ConnectionInput input, List<ConnectionOutput> outputs)
    {
        Channel channel = PendingChannel(input.Channel);
        if (!input.CanRead)
        {
            _channels.Remove(input.Channel);
            outputs.Add(ConnectionOutput.Send(new ErrorFrame(input.Channel, SyncErrorCode.ReadForbidden, $"The user may not read document '{channel.Document}'.")));
            return;
        }

        outputs.Add(ConnectionOutput.Attach(channel.Open, input.CanWrite));
    }

    private void OnChannelFailed(in ConnectionInput input, List<ConnectionOutput> outputs)
    {
        if ((int)input.Code < 100)
        {
            Fail(input.Code, input.Message ?? input.Code.ToString(), outputs);
            return;
        }

        if (_channels.Remove(input.Channel, out Channel? failed) && failed.Tag is { } tag)
        {
            outputs.Add(ConnectionOutput.Release(tag));
        }

        outputs.Add(ConnectionOutput.Send(new ErrorFrame(input.Channel, input.Code, input.Message ?? input.Code.ToString())));
    }

    private void OnTick(long now, long lastSent, List<ConnectionOutput> outputs)
    {
        long interval = _limits.KeepaliveInterval;
        if (interval <= 0)
        {
            return;
        }

        if (now - _lastReceived > interval * 2)
        {
            Fail(SyncErrorCode.KeepaliveTimeout, "Nothing was received within twice the keepalive interval.", outputs);
        }
        else if (now - lastSent >= interval)
        {
            outputs.Add(ConnectionOutput.Send(new PingFrame(++_pingNonce)));
        }
    }

    private void Forward(long channel, SyncFrame frame, List<ConnectionOutput> outputs)
    {
        if (_channels.TryGetValue(channel, out Channel? open) && open.Tag is { } tag)
        {
            outputs.Add(ConnectionOutput.Forward(tag, frame));
        }
        else
        {
            outputs.Add(ConnectionOutput.Send(new ErrorFrame(channel, SyncErrorCode.UnknownChannel, $"Channel {channel} is not open.")));
        }
    }

    private Channel PendingChannel(long channel) =>
        _channels.TryGetValue(channel, out Channel? pending) && pending.Tag is null
            ? pending
            : throw new InvalidOperationException($"Channel {channel} is not being opened.");

    private bool IsOpen(string document)
    {
        foreach (Channel channel in _channels.Values)
        {
            if (channel.Document == document)
            {
                return true;
            }
        }

        return false;
    }

    private void Fail(SyncErrorCode code, string message, List<ConnectionOutput> outputs)
    {
        IsClosing = true;
        outputs.Add(ConnectionOutput.Send(new ErrorFrame(SyncProtocol.ConnectionChannel, code, message)));
        outputs.Add(ConnectionOutput.Close());
    }

    private void DetachAll(List<ConnectionOutput> outputs)
    {
        foreach (Channel channel in _channels.Values)
        {
            if (channel.Tag is { } tag)
            {
                outputs.Add(ConnectionOutput.Detach(tag));
            }
        }

        _channels.Clear();
    }

    private sealed class Channel(OpenFrame open)
    {
        public OpenFrame Open { get; } = open;

        public string Document => Open.Document;

        public object? Tag { get; set; }
    }
}
