using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Server.Hosting;

/// <summary>
/// Reads OT operations older than a document's in-memory window from its stored log, so a client far behind still gets
/// the operations (and rebases its unacknowledged ones) instead of a snapshot that would cost it those operations.
/// </summary>
internal static class OtHistoryBackfill
{
    private const int PageSize = 256;

    /// <summary>
    /// Returns the committed operations with revisions <paramref name="from"/> + 1 through <paramref name="through"/>
    /// from the stored log, or <see langword="null"/> when the log no longer holds all of them (compacted into a
    /// snapshot) or cannot be read. Reads at most the retained log once; holds only the operations returned.
    /// </summary>
    public static async ValueTask<List<OtCommittedOperation>?> ReadAsync(IDocumentStore store, string document, long from, long through, ILogger logger)
    {
        var operations = new List<OtCommittedOperation>();
        long after = 0;
        long expected = from + 1;
        try
        {
            while (expected <= through)
            {
                LogSlice slice = await store.ReadLogAsync(document, after, PageSize).ConfigureAwait(false);
                if (slice.Records.IsDefaultOrEmpty)
                {
                    return null;
                }

                foreach (LogRecord record in slice.Records)
                {
                    if (expected > through)
                    {
                        break;
                    }

                    after = record.Position;
                    OtCommittedOperation committed = PayloadCodec.DecodeOtCommitted(record.Payload.Span);
                    if (committed.Revision < expected)
                    {
                        continue;
                    }

                    if (committed.Revision != expected)
                    {
                        return null;
                    }

                    operations.Add(committed);
                    expected++;
                }
            }
        }
        catch (DocumentStoreException e)
        {
            Log.StoreFailure(logger, document, e);
            return null;
        }
        catch (SyncProtocolException)
        {
            return null;
        }

        return operations;
    }
}
