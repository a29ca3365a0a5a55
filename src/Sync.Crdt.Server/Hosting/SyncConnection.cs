using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;
using Sync.Crdt.Protocol.Sessions;

namespace Sync.Crdt.Server.Hosting;

/// <summary>One client's WebSocket: the adapter around a <see cref="ConnectionSession"/> (the pure connection protocol:
/// hello, channel limits, routing, keepalive, error decisions). It reads frames within the size limit, feeds them to the
/// session, answers its questions (replica claim, authorization, document registry), hands document frames to their
/// hosts, and writes through a bounded queue.</summary>
internal sealed class SyncConnection
{
    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly DocumentRegistry _registry;
    private readonly HostServices _services;
    private readonly Channel<byte[]> _outgoing;
    private readonly CancellationTokenSource _closing = new();
    private readonly ConnectionSession _session;
    private readonly Lock _gate = new();
    private readonly List<ConnectionOutput> _readOutputs = [];
    private long _lastSent;
    private byte[] _buffer = [];

    public SyncConnection(WebSocket socket, HttpContext http, DocumentRegistry registry)
    {
        _socket = socket;
        _http = http;
        _registry = registry;
        _services = registry.Services;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_services.Options.MaxQueuedFramesPerConnection) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        CrdtSyncOptions options = _services.Options;
        TimeSpan keepalive = options.KeepaliveInterval;
        _session = new ConnectionSession(
            new ConnectionLimits(
                options.MaxFrameBytes,
                options.MaxDocumentsPerConnection,
                options.Capabilities,
                options.ServerReplica,
                keepalive > TimeSpan.Zero ? (long)(keepalive.TotalSeconds * _services.Time.TimestampFrequency) : 0,
                (long)keepalive.TotalMilliseconds),
            _services.Time.GetTimestamp());
    }

    /// <summary>The replica the hello claimed (set once, before any channel opens).</summary>
    public ReplicaId Replica { get; private set; }

    private string Name => Replica.IsDefault ? "(before hello)" : Replica.Value;

    public async Task RunAsync(CancellationToken aborted)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        CancellationToken token = linked.Token;
        _lastSent = _services.Time.GetTimestamp();
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
                ConnectionInput input;
                try
                {
                    (bool ok, int length) = await ReceiveFrameAsync(token).ConfigureAwait(false);
                    if (!ok)
                    {
                        break;
                    }

                    _services.Metrics.FrameReceived(length);
                    input = ConnectionInput.Received(_buffer.AsMemory(0, length), _services.Time.GetTimestamp());
                }
                catch (SyncProtocolException e)
                {
                    input = ConnectionInput.Violation(e.Code, e.Message);
                }

                _readOutputs.Clear();
                lock (_gate)
                {
                    _session.Handle(input, _readOutputs);
                }

                if (await ExecuteAsync(_readOutputs, token).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ChannelClosedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            Handle(ConnectionInput.Closed());
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
    public void ChannelFailed(long channel, SyncErrorCode code, string message) => Handle(ConnectionInput.ChannelFailed(channel, code, message));

    /// <summary>Sends an error that closes the connection, then closes it.</summary>
    public void Fail(SyncErrorCode code, string message) => Handle(ConnectionInput.Fail(code, message));

    /// <summary>Feeds an input from outside the read loop (a document, the keepalive timer, shutdown) and executes the
    /// outputs that need no waiting.</summary>
    private void Handle(in ConnectionInput input)
    {
        var outputs = new List<ConnectionOutput>(2);
        lock (_gate)
        {
            _session.Handle(input, outputs);
        }

        foreach (ConnectionOutput output in outputs)
        {
            ExecuteNow(output, readLoop: false);
        }
    }

    /// <summary>Executes the read loop's outputs in order, answering the session's questions; true when the connection
    /// must stop reading.</summary>
    private async ValueTask<bool> ExecuteAsync(List<ConnectionOutput> outputs, CancellationToken token)
    {
        bool stop = false;
        foreach (ConnectionOutput output in outputs)
        {
            switch (output.Kind)
            {
                case ConnectionOutputKind.ClaimReplica:
                    stop |= await AnswerAsync(ClaimReplica((HelloFrame)output.Frame!), token).ConfigureAwait(false);
                    break;
                case ConnectionOutputKind.Authorize:
                    OpenFrame open = output.Open!;
                    DocumentAccess access = _services.Options.AuthorizeDocument is { } authorize
                        ? await authorize(new DocumentAuthorizationContext(_http, Replica, open.Document, open.Kind)).ConfigureAwait(false)
                        : DocumentAccess.ReadWrite;
                    stop |= await AnswerAsync(ConnectionInput.Authorized(open.Channel, (access & DocumentAccess.Read) != 0, (access & DocumentAccess.Write) != 0), token).ConfigureAwait(false);
                    break;
                case ConnectionOutputKind.Attach:
                    stop |= await AttachAsync(output.Open!, output.CanWrite, token).ConfigureAwait(false);
                    break;
                case ConnectionOutputKind.Forward:
                    var route = (Subscription)output.Tag!;
                    await route.Host.PostAsync(new HostInput(HostInputKind.Frame, route, output.Frame, Stopwatch.GetTimestamp()), token).ConfigureAwait(false);
                    break;
                case ConnectionOutputKind.Detach:
                    var closed = (Subscription)output.Tag!;
                    await closed.Host.PostAsync(new HostInput(HostInputKind.Detach, closed, null, 0), token).ConfigureAwait(false);
                    _registry.Release(closed.Host);
                    break;
                default:
                    stop |= ExecuteNow(output, readLoop: true);
                    break;
            }
        }

        return stop;
    }

    private async ValueTask<bool> AnswerAsync(ConnectionInput answer, CancellationToken token)
    {
        var outputs = new List<ConnectionOutput>(2);
        lock (_gate)
        {
            _session.Handle(answer, outputs);
        }

        return await ExecuteAsync(outputs, token).ConfigureAwait(false);
    }

    private ConnectionInput ClaimReplica(HelloFrame hello)
    {
        if (_services.Options.AuthorizeReplica is { } authorize && !authorize(_http.User, hello.Replica))
        {
            return ConnectionInput.ReplicaClaimed(false, $"The user may not use replica id {hello.Replica}.");
        }

        if (!_registry.TryClaimReplica(hello.Replica.Value, this))
        {
            return ConnectionInput.ReplicaClaimed(false, $"Replica id {hello.Replica} is in use by another connection.");
        }

        Replica = hello.Replica;
        Log.ConnectionOpened(_services.Logger, Replica.Value);
        return ConnectionInput.ReplicaClaimed(true);
    }

    private async ValueTask<bool> AttachAsync(OpenFrame open, bool canWrite, CancellationToken token)
    {
        DocumentHost? host = _registry.Acquire(open.Document, open.Kind);
        if (host is null)
        {
            return await AnswerAsync(ConnectionInput.AttachRejected(open.Channel), token).ConfigureAwait(false);
        }

        var subscription = new Subscription(this, open.Channel, canWrite ? DocumentAccess.ReadWrite : DocumentAccess.Read, host);
        bool stop = await AnswerAsync(ConnectionInput.Attached(open.Channel, subscription), token).ConfigureAwait(false);
        await host.PostAsync(new HostInput(HostInputKind.Open, subscription, open, Stopwatch.GetTimestamp()), token).ConfigureAwait(false);
        return stop;
    }

    /// <summary>Executes an output that needs no waiting; true when the connection must stop reading.</summary>
    private bool ExecuteNow(ConnectionOutput output, bool readLoop)
    {
        switch (output.Kind)
        {
            case ConnectionOutputKind.Send:
                if (output.Frame is ErrorFrame { Channel: SyncProtocol.ConnectionChannel } error)
                {
                    Log.ProtocolError(_services.Logger, Name, error.Code, error.Message);
                }

                TrySend(output.Frame!);
                return false;
            case ConnectionOutputKind.Release:
                _registry.Release(((Subscription)output.Tag!).Host);
                return false;
            case ConnectionOutputKind.Detach:
                var closed = (Subscription)output.Tag!;
                closed.Host.TryPost(new HostInput(HostInputKind.Detach, closed, null, 0));
                _registry.Release(closed.Host);
                return false;
            case ConnectionOutputKind.Close:
                // Flush what is queued (the error frame), then close; the read loop stops at once, anyone else lets
                // the writer finish first.
                _outgoing.Writer.TryComplete();
                if (!readLoop)
                {
                    _ = Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(static (_, state) => ((SyncConnection)state!)._closing.Cancel(), this, TaskScheduler.Default);
                }

                return true;
            default:
                throw new InvalidOperationException($"Output {output.Kind} needs the read loop.");
        }
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

    private void Keepalive() => Handle(ConnectionInput.Tick(_services.Time.GetTimestamp(), Interlocked.Read(ref _lastSent)));
}
