using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Server.Hosting;

/// <summary>
/// One loaded document: a single loop applies every input in order, groups the records of a batch (across connections)
/// into one store commit, and only then releases the batch's outgoing frames: nothing that reflects a change leaves
/// before the change is durable. Subclasses hold the kind's state (replicator, text document, OT server).
/// </summary>
internal abstract class DocumentHost
{
    private const string KindMetadataKey = "sync.kind";
    private const int MaxBatch = 256;

    private readonly Channel<HostInput> _inputs = Channel.CreateBounded<HostInput>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly List<ReadOnlyMemory<byte>> _appends = [];
    private readonly List<(Subscription Subscription, SyncFrame Frame, long AckReceivedAt)> _outbox = [];
    private readonly HashSet<Subscription> _subscribers = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IDisposable? _feedSubscription;
    private long _recordsSinceSnapshot;
    private bool _reloadRequested;
    private bool _resyncRequested;
    private bool _kindRecorded;

    protected DocumentHost(string name, DocumentKind kind, HostServices services)
    {
        Name = name;
        Kind = kind;
        Services = services;
    }

    public string Name { get; }

    public DocumentKind Kind { get; }

    /// <summary>Connections that hold this document (changed under the registry's lock).</summary>
    public int References { get; set; }

    /// <summary>When the last reference was released (registry's lock).</summary>
    public long IdleSince { get; set; }

    /// <summary>The store position this document's memory reflects.</summary>
    public long Cursor { get; private set; }

    public Task Stopped => _stopped.Task;

    protected HostServices Services { get; }

    protected IReadOnlyCollection<Subscription> Subscribers => _subscribers;

    /// <summary>Starts the loop once <paramref name="predecessor"/> (an unloading host of the same document) finished
    /// its last commit, so the load sees it.</summary>
    public void Start(Task predecessor) => _ = Task.Run(async () =>
    {
        await predecessor.ConfigureAwait(false);
        await RunAsync().ConfigureAwait(false);
    });

    public ValueTask PostAsync(HostInput input, CancellationToken cancellationToken) => _inputs.Writer.WriteAsync(input, cancellationToken);

    public bool TryPost(HostInput input) => _inputs.Writer.TryWrite(input);

    public void Stop() => _inputs.Writer.TryComplete();

    /// <summary>Re-reads the store's log after <see cref="Cursor"/>: another node committed to this document.</summary>
    public bool RequestRefresh() => TryPost(new HostInput(HostInputKind.Refresh, null, null, 0));

    protected abstract void Load(StoredDocument document);

    protected abstract void ApplyStoredRecord(ReadOnlyMemory<byte> record);

    protected abstract void OnOpen(Subscription subscription, OpenFrame open);

    /// <summary>Reads what <see cref="OnOpen"/> will need from the store before it runs (on the document's loop).</summary>
    protected virtual ValueTask PrepareOpenAsync(OpenFrame open) => ValueTask.CompletedTask;

    protected abstract void OnUpdate(Subscription subscription, UpdateFrame update, long receivedAt);

    protected virtual void OnPresence(Subscription subscription, PresenceFrame presence) =>
        throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "Presence is only supported on text documents.");

    protected virtual void OnDetach(Subscription subscription)
    {
    }

    protected virtual void OnTick()
    {
    }

    protected virtual void AfterBatch()
    {
    }

    protected abstract ReadOnlyMemory<byte> CreateSnapshot();

    protected void Append(ReadOnlyMemory<byte> record) => _appends.Add(record);

    protected void Send(Subscription subscription, SyncFrame frame) => _outbox.Add((subscription, frame, 0));

    protected void Ack(Subscription subscription, long sequence, long revision, long receivedAt)
    {
        if (sequence > 0)
        {
            _outbox.Add((subscription, new AckFrame(subscription.Channel, sequence, revision), receivedAt));
        }
    }

    /// <summary>Asks for the in-memory state to be rebuilt from the store after this batch's commit (a change was
    /// rejected after it touched memory).</summary>
    protected void RequestReload() => _reloadRequested = true;

    private async Task RunAsync()
    {
        try
        {
            if (!await TryLoadAsync().ConfigureAwait(false))
            {
                return;
            }

            // Another node committed to this document, or the feed may have missed signals (Resync): re-read the log
            // from our cursor. The re-read itself notices a log compacted past the cursor or behind it, and reloads.
            _feedSubscription = Services.ChangeFeed?.Subscribe(Name, _ => RequestRefresh());

            var batch = new List<HostInput>(MaxBatch);
            while (await _inputs.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _inputs.Reader.TryRead(out HostInput input))
                {
                    batch.Add(input);
                }

                foreach (HostInput input in batch)
                {
                    await HandleAsync(input).ConfigureAwait(false);
                }

                AfterBatch();
                await CommitAndFlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _feedSubscription?.Dispose();
            foreach (Subscription subscription in _subscribers)
            {
                subscription.Active = false;
            }

            _subscribers.Clear();
            _stopped.TrySetResult();
        }
    }

    private async ValueTask HandleAsync(HostInput input)
    {
        Subscription? subscription = input.Subscription;
        try
        {
            switch (input.Kind)
            {
                case HostInputKind.Open:
                    _subscribers.Add(subscription!);
                    subscription!.Active = true;
                    await PrepareOpenAsync((OpenFrame)input.Frame!).ConfigureAwait(false);
                    OnOpen(subscription, (OpenFrame)input.Frame!);
                    break;
                case HostInputKind.Detach:
                    if (_subscribers.Remove(subscription!))
                    {
                        subscription!.Active = false;
                        OnDetach(subscription);
                    }

                    break;
                case HostInputKind.Refresh:
                    await RefreshAsync().ConfigureAwait(false);
                    break;
                case HostInputKind.Tick:
                    OnTick();
                    break;
                case HostInputKind.Frame when subscription is { Active: true }:
                    switch (input.Frame)
                    {
                        case UpdateFrame update:
                            OnUpdate(subscription, update, input.ReceivedAt);
                            break;
                        case PresenceFrame presence:
                            OnPresence(subscription, presence);
                            break;
                    }

                    break;
            }
        }
        catch (SyncProtocolException e) when (subscription is not null)
        {
            Log.ProtocolError(Services.Logger, subscription.Replica.Value, e.Code, e.Message);
            if (_subscribers.Remove(subscription))
            {
                subscription.Active = false;
                OnDetach(subscription);
            }

            subscription.Connection.ChannelFailed(subscription.Channel, e.Code, e.Message);
        }
    }

    private async Task CommitAndFlushAsync()
    {
        if (_appends.Count > 0)
        {
            var commit = new DocumentCommit(Name)
            {
                Appends = [.. _appends],
                SetMetadata = _kindRecorded ? [] : [new(KindMetadataKey, new[] { (byte)Kind })],
            };
            _recordsSinceSnapshot += _appends.Count;
            _appends.Clear();
            try
            {
                CommitResult result = await Services.Store.CommitAsync(commit).ConfigureAwait(false);
                _kindRecorded = true;
                if (result.FirstPosition > Cursor + 1)
                {
                    // Other nodes appended between our cursor and our records (their doorbell may already have been
                    // handled): apply them now, so the cursor never moves over a record this node has not applied.
                    await CatchUpAsync(result.FirstPosition - 1).ConfigureAwait(false);
                }

                Cursor = result.Head;
            }
            catch (Exception e) when (e is DocumentStoreException or DocumentConflictException or System.IO.IOException or InvalidOperationException)
            {
                Log.StoreFailure(Services.Logger, Name, e);
                _outbox.Clear();
                CloseAll(SyncErrorCode.StoreUnavailable, "The server could not commit the document; nothing was acknowledged. Open it again.");
                _reloadRequested = true;
            }
        }

        foreach ((Subscription subscription, SyncFrame frame, long ackReceivedAt) in _outbox)
        {
            if (subscription.Active || frame is ErrorFrame)
            {
                subscription.Connection.TrySend(frame);
                if (ackReceivedAt != 0)
                {
                    Services.Metrics.AckSent(Stopwatch.GetElapsedTime(ackReceivedAt));
                }
            }
        }

        _outbox.Clear();
        if (_reloadRequested)
        {
            if (_resyncRequested)
            {
                _resyncRequested = false;
                CloseAll(SyncErrorCode.ResyncRequired, "The document was reloaded from the store; open it again.");
            }

            _reloadRequested = false;
            await TryLoadAsync().ConfigureAwait(false);
        }
        else if (_recordsSinceSnapshot >= Services.Options.SnapshotEveryRecords)
        {
            await CompactAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Applies the records other nodes appended after <see cref="Cursor"/> through <paramref name="through"/>
    /// (the record before this node's own commit); a failed read or a log compacted past the cursor rebuilds the memory
    /// from the store instead (after this batch's acknowledgements, which are durable either way).</summary>
    private async Task CatchUpAsync(long through)
    {
        try
        {
            if (await ApplyLogAsync(through).ConfigureAwait(false))
            {
                AfterBatch();
                return;
            }
        }
        catch (Exception e) when (e is DocumentStoreException or System.IO.IOException or InvalidOperationException)
        {
            Log.StoreFailure(Services.Logger, Name, e);
        }

        Resync();
    }

    /// <summary>
    /// Writes a snapshot through <see cref="Cursor"/> (the memory reflects exactly the records through it) and drops the
    /// log it covers, after this batch's acknowledgements went out. No <see cref="DocumentCommit.ExpectedHead"/>: other
    /// nodes may append meanwhile, and their records stay after the snapshot. If another node wrote a newer snapshot
    /// first, that one covers more and this one is skipped; if the store fails, the next batch tries again. A node whose
    /// cursor was behind the dropped records reloads when it next reads the log.
    /// </summary>
    private async Task CompactAsync()
    {
        try
        {
            await Services.Store.CommitAsync(new DocumentCommit(Name)
            {
                Snapshot = new StoredSnapshot(Cursor, CreateSnapshot()),
                TruncateThrough = Cursor,
            }).ConfigureAwait(false);
            _recordsSinceSnapshot = 0;
        }
        catch (DocumentConflictException)
        {
            _recordsSinceSnapshot = 0;
        }
        catch (Exception e) when (e is DocumentStoreException or System.IO.IOException or InvalidOperationException)
        {
            Log.StoreRetry(Services.Logger, Name, "compaction", e);
        }
    }

    /// <summary>The store no longer holds the log after <see cref="Cursor"/> (compacted past it, or restored behind it):
    /// after this batch's frames went out, the subscribers' streams (which would have a hole) are closed with
    /// ResyncRequired, so they reopen and resume from their handshake, and the memory is rebuilt from the store.</summary>
    private void Resync()
    {
        _resyncRequested = true;
        _reloadRequested = true;
    }

    /// <summary>Applies the log records after <see cref="Cursor"/>, at most through <paramref name="through"/>, moving the
    /// cursor over each; false when the record after the cursor is no longer in the log (compacted) or the log is
    /// behind the cursor (restored): then only a reload is correct.</summary>
    private async Task<bool> ApplyLogAsync(long through)
    {
        while (Cursor < through)
        {
            LogSlice slice = await Services.Store.ReadLogAsync(Name, Cursor, (int)Math.Min(256, through - Cursor)).ConfigureAwait(false);
            if (slice.Head < Cursor || (slice.Head > Cursor && slice.Start > Cursor + 1))
            {
                return false;
            }

            foreach (LogRecord record in slice.Records)
            {
                ApplyStoredRecord(record.Payload);
                Cursor = record.Position;
            }

            if (slice.Records.Length == 0 || Cursor >= slice.Head)
            {
                return true;
            }
        }

        return true;
    }

    private void CloseAll(SyncErrorCode code, string message)
    {
        foreach (Subscription subscription in _subscribers)
        {
            subscription.Active = false;
            OnDetach(subscription);
            subscription.Connection.ChannelFailed(subscription.Channel, code, message);
        }

        _subscribers.Clear();
    }

    private async Task<bool> TryLoadAsync()
    {
        try
        {
            StoredDocument stored = await Services.Store.LoadAsync(Name).ConfigureAwait(false);
            if (stored.Metadata.TryGetValue(KindMetadataKey, out ReadOnlyMemory<byte> kind))
            {
                if (kind.Length != 1 || kind.Span[0] != (byte)Kind)
                {
                    Fail(SyncErrorCode.UnknownKind, string.Create(CultureInfo.InvariantCulture, $"Document '{Name}' is stored as kind {(kind.Length == 1 ? kind.Span[0] : 0)}, not {(int)Kind}."));
                    return false;
                }

                _kindRecorded = true;
            }

            Load(stored);
            Cursor = stored.Head;
            _recordsSinceSnapshot = stored.Records.Length;
            Log.DocumentLoaded(Services.Logger, Name, Kind, stored.Head);
            return true;
        }
        catch (Exception e) when (e is DocumentStoreException or System.IO.IOException or Sync.Crdt.Encoding.CrdtFormatException or ArgumentException or SyncProtocolException)
        {
            Log.StoreFailure(Services.Logger, Name, e);
            Fail(SyncErrorCode.StoreUnavailable, $"Document '{Name}' could not be loaded.");
            return false;
        }
    }

    private void Fail(SyncErrorCode code, string message)
    {
        CloseAll(code, message);
        _inputs.Writer.TryComplete();
        while (_inputs.Reader.TryRead(out HostInput input))
        {
            if (input.Kind == HostInputKind.Open && input.Subscription is { } subscription)
            {
                subscription.Connection.ChannelFailed(subscription.Channel, code, message);
            }
        }

        Services.Registry.Remove(this);
    }

    private async Task RefreshAsync()
    {
        try
        {
            if (!await ApplyLogAsync(long.MaxValue).ConfigureAwait(false))
            {
                Resync();
            }
        }
        catch (Exception e) when (e is DocumentStoreException or System.IO.IOException or InvalidOperationException)
        {
            // The cursor stays: the next doorbell, or the feed's Resync once the store is back, re-reads from it.
            Log.StoreRetry(Services.Logger, Name, "re-reading the log", e);
        }
    }
}
