namespace Sync.Crdt.Replication;

/// <summary>What a <see cref="DeltaReplicator"/> did with a message it received (see <see cref="ReceiveResult"/>).</summary>
public enum ReceiveOutcome
{
    /// <summary>A digest: the reply carries what the sender lacks, as a delta group or, when the delta buffer no longer reaches back to the digest, the full state.</summary>
    Answered,

    /// <summary>A digest from a sender that lacks nothing: no reply.</summary>
    UpToDate,

    /// <summary>A delta group or full state was applied: <see cref="ReceiveResult.Entry"/> holds what it added and the reply is this replica's digest (the acknowledgement).</summary>
    Applied,

    /// <summary>A delta group or full state whose events this replica already holds (a duplicate or a late copy): nothing changed, no reply.</summary>
    AlreadyHeld,

    /// <summary>
    /// A delta group computed against events this replica does not hold (causal delivery rule): nothing was applied,
    /// and the reply is this replica's digest so the sender can answer from what it really holds.
    /// </summary>
    OutOfCausalOrder,
}
