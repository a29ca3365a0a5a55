using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;

namespace Sync.Crdt.Server.Hosting;

/// <summary>One client's WebSocket: reads frames within the size limit, dispatches them to document hosts, writes
/// through a bounded queue, and keeps the connection alive.</summary>
internal sealed class SyncConnection
{
    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly DocumentRegistry _registry;
    private readonly HostServices _services;
    private readonly Channel<byte[]> _outgoing;
    private readonly ConcurrentDictionary<long, (DocumentHost Host, Subscription Subscription)> _channels = new();
    private readonly CancellationTokenSource _closing = new();
    private long _lastReceived;
    private long _lastSent;
    private long _pingNonce;
    private byte[] _buffer = [];

    public SyncConnection(WebSocket socket, HttpContext http, DocumentRegistry registry)
    {
        _socket = socket;
        _http = http;
        _registry = registry;
        _services = registry.Services;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_services.Options.MaxQueuedFramesPerConnection) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ReplicaId Replica { get; private set; }

    private string Name => Replica.IsDefault ? "(before hello)" : Replica.Value;

    public async Task RunAsync(CancellationToken aborted)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        CancellationToken token = linked.Token;
        _lastReceived = _lastSent = _services.Time.GetTimestamp();
        Task writer = Task.Run(() => WriteLoopAsync(token), CancellationToken.None);
        using ITimer? keepalive = _services.Options.KeepaliveInterval > TimeSpan.Zero
            ? _services.Time.CreateTimer(static state => ((SyncConnection)state!).Keepalive(), this, _services.Options.KeepaliveInterval, _services.Options.KeepaliveInterval)
            : null;
        _services.Metrics.ConnectionOpened();
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(_services.Options.MaxFrameBytes, 64 * 1024));
        try
        {
            while (!token.IsCancellationRequested)
            {
                (bool ok, int length) = await ReceiveFrameAsync(token).ConfigureAwait(false);
                if (!ok)
                {
                    break;
                }

                _lastReceived = _services.Time.GetTimestamp();
                _services.Metrics.FrameReceived(length);
                SyncFrame frame = FrameCodec.Decode(_buffer.AsSpan(0, length), _services.Options.MaxFrameBytes);
                await DispatchAsync(frame, token).ConfigureAwait(false);
            }
        }
        catch (SyncProtocolException e)
        {
            Log.ProtocolError(_services.Logger, Name, e.Code, e.Message);
            Fail(e.Code, e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ChannelClosedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            foreach ((DocumentHost host, Subscription subscription) in _channels.Values)
            {
                host.TryPost(new HostInput(HostInputKind.Detach, subscription, null, 0));
                _registry.Release(host);
            }

            _channels.Clear();
            if (!Replica.IsDefault)
            {
                _registry.ReleaseReplica(Replica.Value, this);
                Log.ConnectionClosed(_services.Logger, Replica.Value);
            }

            _outgoing.Writer.TryComplete();
            await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            await DrainUntilClosedAsync().ConfigureAwait(false);
            await _closing.CancelAsync().ConfigureAwait(false);
            _socket.Abort();
            _services.Metrics.ConnectionClosed();
        }
    }

    /// <summary>Queues a frame; a full queue drops the connection (a slow reader never grows server memory).</summary>
    public void TrySend(SyncFrame frame)
    {
        byte[] bytes = FrameCodec.Encode(frame);
        if (!_outgoing.Writer.TryWrite(bytes) && !_closing.IsCancellationRequested)
        {
            Log.SlowConsumer(_services.Logger, Name);
            _outgoing.Writer.TryComplete();
            _closing.Cancel();
            _socket.Abort();
        }
    }

    /// <summary>A document closed the channel with an error (or the error closes the connection).</summary>
    public void ChannelFailed(long channel, SyncErrorCode code, string message)
    {
        if ((int)code < 100)
        {
            Fail(code, message);
            return;
        }

        if (_channels.TryRemove(channel, out var entry))
        {
            _registry.Release(entry.Host);
        }

        TrySend(new ErrorFrame(channel, code, message));
    }

    /// <summary>Sends an error that closes the connection, then closes it.</summary>
    public void Fail(SyncErrorCode code, string message)
    {
        TrySend(new ErrorFrame(SyncProtocol.ConnectionChannel, code, message));
        _outgoing.Writer.TryComplete();
        _ = Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(static (_, state) => ((SyncConnection)state!)._closing.Cancel(), this, TaskScheduler.Default);
    }

    private async ValueTask DispatchAsync(SyncFrame frame, CancellationToken token)
    {
        if (Replica.IsDefault)
        {
            if (frame is not HelloFrame hello)
            {
                throw new SyncProtocolException(SyncErrorCode.HelloExpected, "The first frame must be a hello.");
            }

            Welcome(hello);
            return;
        }

        switch (frame)
        {
            case HelloFrame:
                throw new SyncProtocolException(SyncErrorCode.HelloExpected, "A connection sends one hello.");
            case PingFrame ping:
                TrySend(new PongFrame(ping.Nonce));
                break;
            case PongFrame:
                break;
            case OpenFrame open:
                await OpenAsync(open, token).ConfigureAwait(false);
                break;
            case CloseFrame close:
                if (_channels.TryRemove(close.Channel, out var closed))
                {
                    await closed.Host.PostAsync(new HostInput(HostInputKind.Detach, closed.Subscription, null, 0), token).ConfigureAwait(false);
                    _registry.Release(closed.Host);
                }

                break;
            case UpdateFrame update:
                await ForwardAsync(update.Channel, frame, token).ConfigureAwait(false);
                break;
            case PresenceFrame presence:
                await ForwardAsync(presence.Channel, frame, token).ConfigureAwait(false);
                break;
            default:
                throw new SyncProtocolException(SyncErrorCode.MalformedFrame, $"A client may not send {frame.Type} frames.");
        }
    }

    private void Welcome(HelloFrame hello)
    {
        if (_services.Options.AuthorizeReplica is { } authorize && !authorize(_http.User, hello.Replica))
        {
            throw new SyncProtocolException(SyncErrorCode.ReplicaRejected, $"The user may not use replica id {hello.Replica}.");
        }

        if (hello.Replica.Value == _services.Options.ServerReplica || !_registry.TryClaimReplica(hello.Replica.Value, this))
        {
            throw new SyncProtocolException(SyncErrorCode.ReplicaRejected, $"Replica id {hello.Replica} is in use by another connection.");
        }

        Replica = hello.Replica;
        Log.ConnectionOpened(_services.Logger, Replica.Value);
        CrdtSyncOptions options = _services.Options;
        TrySend(new WelcomeFrame(SyncProtocol.Version, options.Capabilities, options.MaxFrameBytes, options.MaxDocumentsPerConnection, (long)options.KeepaliveInterval.TotalMilliseconds));
    }

    private async ValueTask OpenAsync(OpenFrame open, CancellationToken token)
    {
        if (_channels.ContainsKey(open.Channel) || IsOpen(open.Document))
        {
            TrySend(new ErrorFrame(open.Channel, SyncErrorCode.ChannelInUse, $"Channel {open.Channel} or document '{open.Document}' is already open."));
            return;
        }

        if (_channels.Count >= _services.Options.MaxDocumentsPerConnection)
        {
            TrySend(new ErrorFrame(open.Channel, SyncErrorCode.TooManyDocuments, $"A connection may have {_services.Options.MaxDocumentsPerConnection} documents open."));
            return;
        }

        SyncCapabilities needed = open.Kind switch
        {
            DocumentKind.Values => SyncCapabilities.Values,
            DocumentKind.Text => SyncCapabilities.Text,
            DocumentKind.Ot => SyncCapabilities.Ot,
            _ => SyncCapabilities.None,
        };
        if (needed == SyncCapabilities.None || (_services.Options.Capabilities & needed) == 0)
        {
            TrySend(new ErrorFrame(open.Channel, SyncErrorCode.UnknownKind, $"Document kind {(int)open.Kind} is not served."));
            return;
        }

        DocumentAccess access = _services.Options.AuthorizeDocument is { } authorize
            ? await authorize(new DocumentAuthorizationContext(_http, Replica, open.Document, open.Kind)).ConfigureAwait(false)
            : DocumentAccess.ReadWrite;
        if ((access & DocumentAccess.Read) == 0)
        {
            TrySend(new ErrorFrame(open.Channel, SyncErrorCode.ReadForbidden, $"The user may not read document '{open.Document}'."));
            return;
        }

        DocumentHost? host = _registry.Acquire(open.Document, open.Kind);
        if (host is null)
        {
            TrySend(new ErrorFrame(open.Channel, SyncErrorCode.UnknownKind, $"Document '{open.Document}' is of another kind."));
            return;
        }

        var subscription = new Subscription(this, open.Channel, access);
        _channels[open.Channel] = (host, subscription);
        await host.PostAsync(new HostInput(HostInputKind.Open, subscription, open, Stopwatch.GetTimestamp()), token).ConfigureAwait(false);
    }

    private bool IsOpen(string document)
    {
        foreach ((DocumentHost host, Subscription _) in _channels.Values)
        {
            if (host.Name == document)
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask ForwardAsync(long channel, SyncFrame frame, CancellationToken token)
    {
        if (!_channels.TryGetValue(channel, out var entry))
        {
            TrySend(new ErrorFrame(channel, SyncErrorCode.UnknownChannel, $"Channel {channel} is not open."));
            return;
        }

        await entry.Host.PostAsync(new HostInput(HostInputKind.Frame, entry.Subscription, frame, Stopwatch.GetTimestamp()), token).ConfigureAwait(false);
    }

    /// <summary>Reads one message; a message that passes the size limit is rejected as soon as it does.</summary>
    private async ValueTask<(bool Ok, int Length)> ReceiveFrameAsync(CancellationToken token)
    {
        byte[] buffer = _buffer;
        int length = 0;
        int max = _services.Options.MaxFrameBytes;
        while (true)
        {
            if (length == buffer.Length)
            {
                // Grow, but never beyond the limit plus one byte (enough to detect an oversized message).
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(max + 1, buffer.Length * 2));
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = _buffer = larger;
            }

            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(length, Math.Min(buffer.Length, max + 1) - length), token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (false, 0);
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new SyncProtocolException(SyncErrorCode.MalformedFrame, "Frames are binary WebSocket messages.");
            }

            length += result.Count;
            if (length > max)
            {
                throw new SyncProtocolException(SyncErrorCode.FrameTooLarge, $"A frame exceeds the limit of {max} bytes.");
            }

            if (result.EndOfMessage)
            {
                return (true, length);
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken token)
    {
        try
        {
            await foreach (byte[] frame in _outgoing.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, token).ConfigureAwait(false);
                _lastSent = _services.Time.GetTimestamp();
                _services.Metrics.FrameSent(frame.Length);
            }

            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The reader stops too: a socket that can no longer be written is useless.
            await _closing.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>After our close frame, reads (and drops) until the client's close, so the error frame before it is not
    /// lost to a connection reset.</summary>
    private async Task DrainUntilClosedAsync()
    {
        if (_socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        byte[] scratch = new byte[256];
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(scratch.AsMemory(), timeout.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    private void Keepalive()
    {
        long now = _services.Time.GetTimestamp();
        TimeSpan interval = _services.Options.KeepaliveInterval;
        if (_services.Time.GetElapsedTime(Interlocked.Read(ref _lastReceived), now) > interval * 2)
        {
            Fail(SyncErrorCode.KeepaliveTimeout, "Nothing was received within twice the keepalive interval.");
        }
        else if (_services.Time.GetElapsedTime(Interlocked.Read(ref _lastSent), now) >= interval)
        {
            TrySend(new PingFrame(Interlocked.Increment(ref _pingNonce)));
        }
    }
}
