using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Protocol;
using Sync.Crdt.Protocol.Sessions;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Server.Hosting;

/// <summary>
/// One loaded document's adapter around its <see cref="DocumentSession"/> (the pure protocol state machine): a single
/// loop feeds the session every input in order, executes what it returns (frames to the connections, one store commit
/// per batch across connections, reloads), and reports the commit's outcome back, so the session releases the batch's
/// frames (acks included) only once the change is durable. The adapter owns the store positions: the cursor, the kind
/// metadata, compaction and re-reading other nodes' commits.
/// </summary>
internal abstract class DocumentHost
{
    private const string KindMetadataKey = "sync.kind";
    private const int MaxBatch = 256;

    private readonly Channel<HostInput> _inputs = Channel.CreateBounded<HostInput>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly List<DocumentOutput> _outputs = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DocumentSession _session;
    private IDisposable? _feedSubscription;
    private long _recordsSinceSnapshot;
    private bool _reloadRequested;
    private bool _resyncRequested;
    private bool _kindRecorded;

    protected DocumentHost(DocumentSession session, HostServices services)
    {
        _session = session;
        Services = services;
    }

    public string Name => _session.Name;

    public DocumentKind Kind => _session.Kind;

    /// <summary>Connections that hold this document (changed under the registry's lock).</summary>
    public int References { get; set; }

    /// <summary>When the last reference was released (registry's lock).</summary>
    public long IdleSince { get; set; }

    /// <summary>The store position this document's memory reflects.</summary>
    public long Cursor { get; private set; }

    public Task Stopped => _stopped.Task;

    protected HostServices Services { get; }

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

                _session.Handle(DocumentInput.EndBatch(), _outputs);
                await ExecuteAsync().ConfigureAwait(false);
                await AfterFlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _feedSubscription?.Dispose();
            _session.Close();
            _stopped.TrySetResult();
        }
    }

    private async ValueTask HandleAsync(HostInput input)
    {
        long now = Services.Time.GetTimestamp();
        switch (input.Kind)
        {
            case HostInputKind.Open:
                var open = (OpenFrame)input.Frame!;
                IReadOnlyList<OtCommittedOperation>? history = _session.HistoryToRead(open) is { } range
                    ? await OtHistoryBackfill.ReadAsync(Services.Store, Name, range.From, range.Through, Services.Logger).ConfigureAwait(false)
                    : null;
                _session.Handle(DocumentInput.Open(input.Subscription!, open, now, history), _outputs);
                break;
            case HostInputKind.Detach:
                _session.Handle(DocumentInput.Detach(input.Subscription!), _outputs);
                break;
            case HostInputKind.Refresh:
                await RefreshAsync().ConfigureAwait(false);
                break;
            case HostInputKind.Tick:
                _session.Handle(DocumentInput.Tick(now), _outputs);
                break;
            case HostInputKind.Frame:
                _session.Handle(DocumentInput.Received(input.Subscription!, input.Frame!, now, input.ReceivedAt), _outputs);
                break;
        }

        await ExecuteAsync().ConfigureAwait(false);
    }

    /// <summary>Executes the session's outputs in order; a commit (always last) is made and its outcome reported back.</summary>
    private async ValueTask ExecuteAsync()
    {
        IReadOnlyList<ReadOnlyMemory<byte>>? commit = null;
        foreach (DocumentOutput output in _outputs)
        {
            switch (output.Kind)
            {
                case DocumentOutputKind.Send:
                    ((Subscription)output.Member!).Connection.TrySend(output.Frame!);
                    if (output.ReceivedAt != 0)
                    {
                        Services.Metrics.AckSent(Stopwatch.GetElapsedTime(output.ReceivedAt));
                    }

                    break;
                case DocumentOutputKind.ChannelFailed:
                    var failed = (Subscription)output.Member!;
                    if (output.Code is not (SyncErrorCode.StoreUnavailable or SyncErrorCode.ResyncRequired))
                    {
                        Log.ProtocolError(Services.Logger, failed.Replica.Value, output.Code, output.Message!);
                    }

                    failed.Connection.ChannelFailed(failed.Channel, output.Code, output.Message!);
                    break;
                case DocumentOutputKind.Commit:
                    commit = output.Appends;
                    break;
                case DocumentOutputKind.Reload:
                    _reloadRequested = true;
                    break;
                case DocumentOutputKind.WakeAt:
                    // Ticks come from the registry's sweep (every half presence timeout), which bounds the delay.
                    break;
            }
        }

        _outputs.Clear();
        if (commit is not null)
        {
            bool done = await CommitAsync(commit).ConfigureAwait(false);
            _session.Handle(done ? DocumentInput.CommitDone() : DocumentInput.CommitFailed("The store commit failed."), _outputs);
            await ExecuteAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> CommitAsync(IReadOnlyList<ReadOnlyMemory<byte>> appends)
    {
        var commit = new DocumentCommit(Name)
        {
            Appends = [.. appends],
            SetMetadata = _kindRecorded ? [] : [new(KindMetadataKey, new[] { (byte)Kind })],
        };
        _recordsSinceSnapshot += appends.Count;
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
            return true;
        }
        catch (Exception e) when (e is DocumentStoreException or DocumentConflictException or System.IO.IOException or InvalidOperationException)
        {
            Log.StoreFailure(Services.Logger, Name, e);
            return false;
        }
    }

    /// <summary>After a batch's frames went out: a resync closes the channels (their streams would have a hole) and
    /// reloads; otherwise the log is compacted when it grew long enough.</summary>
    private async Task AfterFlushAsync()
    {
        if (_reloadRequested)
        {
            if (_resyncRequested)
            {
                _resyncRequested = false;
                _session.Handle(DocumentInput.CloseAll(SyncErrorCode.ResyncRequired, "The document was reloaded from the store; open it again."), _outputs);
                await ExecuteAsync().ConfigureAwait(false);
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
                Snapshot = new StoredSnapshot(Cursor, _session.CreateSnapshot()),
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
                _session.Handle(DocumentInput.Stored(record.Payload), _outputs);
                Cursor = record.Position;
            }

            if (slice.Records.Length == 0 || Cursor >= slice.Head)
            {
                return true;
            }
        }

        return true;
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
                    await FailAsync(SyncErrorCode.UnknownKind, string.Create(CultureInfo.InvariantCulture, $"Document '{Name}' is stored as kind {(kind.Length == 1 ? kind.Span[0] : 0)}, not {(int)Kind}.")).ConfigureAwait(false);
                    return false;
                }

                _kindRecorded = true;
            }

            _session.Load(stored);
            Cursor = stored.Head;
            _recordsSinceSnapshot = stored.Records.Length;
            Log.DocumentLoaded(Services.Logger, Name, Kind, stored.Head);
            return true;
        }
        catch (Exception e) when (e is DocumentStoreException or System.IO.IOException or Sync.Crdt.Encoding.CrdtFormatException or ArgumentException or SyncProtocolException)
        {
            Log.StoreFailure(Services.Logger, Name, e);
            await FailAsync(SyncErrorCode.StoreUnavailable, $"Document '{Name}' could not be loaded.").ConfigureAwait(false);
            return false;
        }
    }

    private async ValueTask FailAsync(SyncErrorCode code, string message)
    {
        _session.Handle(DocumentInput.CloseAll(code, message), _outputs);
        await ExecuteAsync().ConfigureAwait(false);
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
