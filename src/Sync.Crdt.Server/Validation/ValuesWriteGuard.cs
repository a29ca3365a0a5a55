using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication;

namespace Sync.Crdt.Server.Validation;

/// <summary>
/// The ownership rule of replicated-values documents (docs/sync-protocol.md, "Forged dots"): a connection may introduce
/// new causal information — update events, dots, counter entries, timestamped writes, vector entries — only for the
/// replica id it owns; information of other replicas is accepted only when the server already holds it.
/// </summary>
internal static class ValuesWriteGuard
{
    /// <summary>
    /// Throws when <paramref name="message"/> would add causal information of a replica other than
    /// <paramref name="owner"/> to <paramref name="replicator"/> (<see cref="SyncErrorCode.ForgedDots"/>), or would add
    /// anything at all while the connection may not write (<see cref="SyncErrorCode.WriteForbidden"/>). Changes nothing.
    /// </summary>
    /// <exception cref="SyncProtocolException">The message breaks the rule.</exception>
    public static void Check(DeltaReplicator replicator, ReplicationMessage message, ReplicaId owner, bool canWrite, string document)
    {
        if (message is DigestMessage)
        {
            return;
        }

        var writers = new HashSet<ReplicaId>();
        replicator.CollectNewWriters(message, writers);
        ReplicaId[] foreign = writers.Where(writer => writer != owner).Order().Take(4).ToArray();
        if (foreign.Length > 0)
        {
            throw new SyncProtocolException(
                SyncErrorCode.ForgedDots,
                $"Replica {owner} sent causal information of replica(s) {string.Join(", ", foreign)} that the server does not hold (document '{document}').");
        }

        if (!canWrite && writers.Count > 0)
        {
            throw new SyncProtocolException(SyncErrorCode.WriteForbidden, $"Replica {owner} may not write document '{document}'.");
        }
    }
}
