using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Client;

/// <summary>
/// A connection to a sync server that keeps documents in sync: it connects, re-connects after any failure with bounded
/// exponential backoff and jitter (resuming every document from its handshake, so nothing is downloaded twice), detects
/// a silent socket through keepalive, and asks its token provider for a fresh token on every attempt.
/// </summary>
/// <remarks>
/// Create it, open documents (<see cref="OpenValuesAsync"/>, <see cref="OpenTextAsync"/>, <see cref="OpenOtAsync"/>), then
/// <see cref="Start"/>. Documents work offline: edits apply locally at once and are sent when connected. Thread-safe.
/// Dispose to stop.
/// </remarks>
public sealed class CrdtSyncClient : IAsyncDisposable
{
    private readonly CrdtSyncClientOptions _options;
    private readonly Dictionary<string, SyncDocument> _documents = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _jitter;
    private readonly ServerEndpoints _endpoints;
    private Channel<byte[]>? _outgoing;
    private Dictionary<long, SyncDocument> _channels = [];
    private TaskCompletionSource _online = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _connection;
    private Task? _run;
    private bool _offline;
    private long _nextChannel;
    private int _connections;

    /// <summary>Creates a client (not connected until <see cref="Start"/>).</summary>
    /// <param name="options">The options; <see cref="CrdtSyncClientOptions.ServerUri"/> and
    /// <see cref="CrdtSyncClientOptions.Replica"/> are required.</param>
    /// <exception cref="ArgumentException">A required option is missing, or <see cref="CrdtSyncClientOptions.ConnectTimeout"/>
    /// is neither positive nor infinite.</exception>
    public CrdtSyncClient(CrdtSyncClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerUri is null || options.Replica.IsDefault)
        {
            throw new ArgumentException("A client needs a ServerUri and a Replica.", nameof(options));
        }

        if (options.ConnectTimeout <= TimeSpan.Zero && options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("ConnectTimeout must be positive or Timeout.InfiniteTimeSpan.", nameof(options));
        }

        _options = options;
        _endpoints = new ServerEndpoints(options);
        _jitter = options.JitterSeed is { } seed ? new Random(seed) : new Random();
        Serializer = new ReplicationSerializer(options.ValueFormats);
    }

    /// <summary>The connection state.</summary>
    public ConnectionState State { get; private set; }

    /// <summary>Raised when <see cref="State"/> changes (on the client's network thread).</summary>
    public event EventHandler<ConnectionState>? StateChanged;

    /// <summary>How many connections were established so far (a reconnect counts one more).</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    internal CrdtSyncClientOptions Options => _options;

    internal ReplicationSerializer Serializer { get; }

    /// <summary>Opens (or returns the already open) replicated-values document, restoring it from
    /// <see cref="CrdtSyncClientOptions.Store"/> when one is configured.</summary>
    /// <param name="name">The document name.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The document.</returns>
    public ValueTask<ValuesDocument> OpenValuesAsync(string name, CancellationToken cancellationToken = default) =>
        OpenAsync(name, DocumentKind.Values, static (client, n) => new ValuesDocument(client, n), cancellationToken);

    /// <summary>Opens (or returns the already open) collaborative text document, restoring it from
    /// <see cref="CrdtSyncClientOptions.Store"/> when one is configured.</summary>
    /// <param name="name">The document name.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The document.</returns>
    public ValueTask<TextSyncDocument> OpenTextAsync(string name, CancellationToken cancellationToken = default) =>
        OpenAsync(name, DocumentKind.Text, static (client, n) => new TextSyncDocument(client, n), cancellationToken);

    /// <summary>Opens (or returns the already open) OT document (kept in memory).</summary>
    /// <param name="name">The document name.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The document.</returns>
    public ValueTask<OtSyncDocument> OpenOtAsync(string name, CancellationToken cancellationToken = default) =>
        OpenAsync(name, DocumentKind.Ot, static (client, n) => new OtSyncDocument(client, n), cancellationToken);

    /// <summary>Starts connecting in the background (idempotent).</summary>
    public void Start()
    {
        lock (_lock)
        {
            _run ??= Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>Completes when the client is <see cref="ConnectionState.Online"/>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task.</returns>
    public Task WaitForOnlineAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return State == ConnectionState.Online ? Task.CompletedTask : _online.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes the client offline (the socket closes; edits continue locally) or back online.</summary>
    /// <param name="offline"><see langword="true"/> to go offline.</param>
    public void SetOffline(bool offline)
    {
        CancellationTokenSource? connection;
        lock (_lock)
        {
            _offline = offline;
            connection = offline ? _connection : null;
        }

        connection?.Cancel();
    }

    /// <summary>Stops the client and closes the socket. Pending changes stay pending (in the store, when configured).</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>Queues a frame on the current connection; false when offline (the document's handshake resends on reconnect).</summary>
    internal bool TrySend(SyncFrame frame)
    {
        Channel<byte[]>? outgoing = Volatile.Read(ref _outgoing);
        return outgoing is not null && outgoing.Writer.TryWrite(FrameCodec.Encode(frame));
    }

    internal void DocumentSynced()
    {
        lock (_lock)
        {
            if (State != ConnectionState.Syncing)
            {
                return;
            }

            foreach (SyncDocument document in _documents.Values)
            {
                if (!document.IsSynced)
                {
                    return;
                }
            }
        }

        SetState(ConnectionState.Online);
    }

    private async ValueTask<T> OpenAsync<T>(string name, DocumentKind kind, Func<CrdtSyncClient, string, T> create, CancellationToken cancellationToken)
        where T : SyncDocument
    {
        Replication.Storage.DocumentCommit.ThrowIfInvalidName(name, nameof(name));
        lock (_lock)
        {
            if (_documents.TryGetValue(name, out SyncDocument? existing))
            {
                return existing as T ?? throw new InvalidOperationException($"Document '{name}' is open as {existing.Kind}, not {kind}.");
            }
        }

        T created = create(this, name);
        if (_options.Store is { } store)
        {
            await created.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            if (_documents.TryGetValue(name, out SyncDocument? raced))
            {
                return raced as T ?? throw new InvalidOperationException($"Document '{name}' is open as {raced.Kind}, not {kind}.");
            }

            _documents.Add(name, created);
            if (_outgoing is not null)
            {
                OpenChannel(created);
            }
        }

        return created;
    }

    private void OpenChannel(SyncDocument document)
    {
        document.Channel = ++_nextChannel;
        _channels[document.Channel] = document;
        _outgoing!.Writer.TryWrite(FrameCodec.Encode(new OpenFrame(document.Channel, document.Kind, document.Name, document.CreateHandshake())));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            bool offline;
            lock (_lock)
            {
                offline = _offline;
            }

            if (offline)
            {
                SetState(ConnectionState.Offline);
                await DelayAsync(TimeSpan.FromMilliseconds(50), stop).ConfigureAwait(false);
                continue;
            }

            bool welcomed = false;
            try
            {
                welcomed = await ConnectOnceAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or SyncProtocolException or System.IO.IOException or System.Net.Http.HttpRequestException)
            {
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            failures = welcomed ? 0 : failures + 1;
            if (!welcomed)
            {
                _endpoints.AttemptFailed();
            }

            if (State != ConnectionState.Unauthorized)
            {
                SetState(ConnectionState.Offline);
            }

            await DelayAsync(NextDelay(failures), stop).ConfigureAwait(false);
        }

        SetState(ConnectionState.Offline);
    }

    private TimeSpan NextDelay(int failures)
    {
        if (failures == 0)
        {
            return TimeSpan.FromMilliseconds(_options.InitialReconnectDelay.TotalMilliseconds * (0.5 + (0.5 * NextJitter())));
        }

        double backoff = Math.Min(_options.MaxReconnectDelay.TotalMilliseconds, _options.InitialReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30)));
        return TimeSpan.FromMilliseconds(backoff * (0.5 + (0.5 * NextJitter())));
    }

    private double NextJitter()
    {
        lock (_jitter)
        {
            return _jitter.NextDouble();
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> ConnectOnceAsync(CancellationToken stop)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
        lock (_lock)
        {
            _connection = connection;
        }

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(SyncProtocol.WebSocketSubprotocol);
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (_options.TokenProvider is { } tokens && await tokens(connection.Token).ConfigureAwait(false) is { Length: > 0 } token)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        _options.ConfigureSocket?.Invoke(socket.Options);
        connection.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_endpoints.Current, connection.Token).ConfigureAwait(false);
        }
        catch (WebSocketException) when (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            SetState(ConnectionState.Unauthorized);
            return false;
        }

        SetState(ConnectionState.Syncing);
        var outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        outgoing.Writer.TryWrite(FrameCodec.Encode(new HelloFrame(SyncProtocol.Version, SyncCapabilities.All, _options.Replica)));
        Task writer = WriteLoopAsync(socket, outgoing, connection);
        bool welcomed = false;
        var lastReceived = new StrongBox(_options.TimeProvider.GetTimestamp());
        ITimer? keepalive = null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (!connection.IsCancellationRequested)
            {
                (SyncFrame? frame, buffer) = await ReceiveAsync(socket, buffer, connection.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                lastReceived.Value = _options.TimeProvider.GetTimestamp();
                if (!welcomed)
                {
                    if (frame is not WelcomeFrame welcome)
                    {
                        if (frame is ErrorFrame error)
                        {
                            throw new SyncProtocolException(error.Code, error.Message);
                        }

                        throw new SyncProtocolException(SyncErrorCode.HelloExpected, "The server did not answer with a welcome.");
                    }

                    welcomed = true;
                    connection.CancelAfter(Timeout.InfiniteTimeSpan);
                    Interlocked.Increment(ref _connections);
                    keepalive = StartKeepalive(welcome, outgoing, lastReceived, connection);
                    AttachDocuments(outgoing);
                    continue;
                }

                Dispatch(frame, outgoing);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            keepalive?.Dispose();
            DetachDocuments(outgoing);
            outgoing.Writer.TryComplete();
            await connection.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            lock (_lock)
            {
                _connection = null;
            }
        }

        return welcomed;
    }

    private ITimer? StartKeepalive(WelcomeFrame welcome, Channel<byte[]> outgoing, StrongBox lastReceived, CancellationTokenSource connection)
    {
        if (welcome.KeepaliveMilliseconds <= 0)
        {
            return null;
        }

        TimeSpan interval = TimeSpan.FromMilliseconds(welcome.KeepaliveMilliseconds);
        long nonce = 0;
        return _options.TimeProvider.CreateTimer(
            _ =>
            {
                if (_options.TimeProvider.GetElapsedTime(lastReceived.Value) > interval * 2)
                {
                    connection.Cancel();
                }
                else
                {
                    outgoing.Writer.TryWrite(FrameCodec.Encode(new PingFrame(Interlocked.Increment(ref nonce))));
                }
            },
            null,
            interval,
            interval);
    }

    private void AttachDocuments(Channel<byte[]> outgoing)
    {
        bool any;
        lock (_lock)
        {
            _outgoing = outgoing;
            _channels = [];
            foreach (SyncDocument document in _documents.Values)
            {
                OpenChannel(document);
            }

            any = _documents.Count > 0;
        }

        if (!any)
        {
            SetState(ConnectionState.Online);
        }
    }

    private void DetachDocuments(Channel<byte[]> outgoing)
    {
        List<SyncDocument> documents;
        lock (_lock)
        {
            if (!ReferenceEquals(_outgoing, outgoing))
            {
                return;
            }

            _outgoing = null;
            _channels = [];
            documents = [.. _documents.Values];
        }

        foreach (SyncDocument document in documents)
        {
            document.OnDisconnected();
        }
    }

    private void Dispatch(SyncFrame frame, Channel<byte[]> outgoing)
    {
        switch (frame)
        {
            case PingFrame ping:
                outgoing.Writer.TryWrite(FrameCodec.Encode(new PongFrame(ping.Nonce)));
                return;
            case PongFrame:
                return;
            case ErrorFrame { Channel: 0 } error:
                throw new SyncProtocolException(error.Code, error.Message);
        }

        long channel = frame switch
        {
            SyncedFrame s => s.Channel,
            UpdateFrame u => u.Channel,
            AckFrame a => a.Channel,
            PresenceFrame p => p.Channel,
            ErrorFrame e => e.Channel,
            _ => 0,
        };
        SyncDocument? document;
        lock (_lock)
        {
            _channels.TryGetValue(channel, out document);
        }

        if (document is null)
        {
            return;
        }

        switch (frame)
        {
            case SyncedFrame synced:
                lock (_lock)
                {
                    document.StoreFailures = 0;
                }

                document.OnSynced(synced.Payload);
                break;
            case UpdateFrame update:
                document.OnUpdate(update.Payload);
                break;
            case AckFrame ack:
                document.OnAck(ack.Sequence, ack.Revision);
                break;
            case PresenceFrame presence:
                document.OnPresence(presence.Replica, presence.Payload);
                break;
            case ErrorFrame error:
                document.OnError(error.Code);
                if (error.Code is SyncErrorCode.ResyncRequired)
                {
                    lock (_lock)
                    {
                        _channels.Remove(channel);
                        OpenChannel(document);
                    }
                }
                else if (error.Code is SyncErrorCode.StoreUnavailable)
                {
                    _ = ReopenAfterStoreFailureAsync(document, channel);
                }

                break;
        }
    }

    /// <summary>
    /// Reopens a document the server could not load (its store is down) after the reconnect backoff with jitter, so
    /// that every client of an unavailable store does not retry in a tight loop; the delay doubles per consecutive
    /// refusal up to <see cref="CrdtSyncClientOptions.MaxReconnectDelay"/> and resets on the next handshake. Nothing is
    /// reopened when the connection changed meanwhile (a reconnect reopens every document itself) or the document closed.
    /// </summary>
    private async Task ReopenAfterStoreFailureAsync(SyncDocument document, long channel)
    {
        Channel<byte[]>? connection;
        int failures;
        lock (_lock)
        {
            _channels.Remove(channel);
            connection = _outgoing;
            failures = ++document.StoreFailures;
        }

        try
        {
            await Task.Delay(NextDelay(failures), _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_lock)
        {
            bool sameConnection = connection is not null && ReferenceEquals(_outgoing, connection);
            bool stillOpen = _documents.TryGetValue(document.Name, out SyncDocument? current) && ReferenceEquals(current, document);
            if (sameConnection && stillOpen && document.Channel == channel)
            {
                OpenChannel(document);
            }
        }
    }

    private async Task<(SyncFrame? Frame, byte[] Buffer)> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken token)
    {
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > _options.MaxFrameBytes)
                {
                    throw new SyncProtocolException(SyncErrorCode.FrameTooLarge, "The server sent a frame above the client's limit.");
                }

                byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(length), token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, buffer);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return (FrameCodec.Decode(buffer.AsSpan(0, length), _options.MaxFrameBytes), buffer);
            }
        }
    }

    private static async Task WriteLoopAsync(ClientWebSocket socket, Channel<byte[]> outgoing, CancellationTokenSource connection)
    {
        try
        {
            await foreach (byte[] frame in outgoing.Reader.ReadAllAsync(connection.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Binary, true, connection.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
        }
    }

    private void SetState(ConnectionState state)
    {
        TaskCompletionSource? online = null;
        lock (_lock)
        {
            if (State == state)
            {
                return;
            }

            State = state;
            if (state == ConnectionState.Online)
            {
                online = _online;
                _online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        online?.TrySetResult();
        StateChanged?.Invoke(this, state);
    }

    private sealed class StrongBox
    {
        private long _value;

        public StrongBox(long value)
        {
            _value = value;
        }

        public long Value
        {
            get => Volatile.Read(ref _value);
            set => Volatile.Write(ref _value, value);
        }
    }
}
