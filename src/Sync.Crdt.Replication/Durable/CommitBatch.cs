using System.Collections.Generic;
using System.Threading.Tasks;

namespace Sync.Crdt.Replication;

/// <summary>The changes of a <see cref="DurableReplica"/> that go into one store commit, and the task their callers wait on.</summary>
internal sealed class CommitBatch
{
    internal List<DeltaLogEntry> Entries { get; } = [];

    internal List<byte[]> Payloads { get; } = [];

    /// <summary>Gets or sets a value indicating whether the batch must write a snapshot even when the log is small.</summary>
    internal bool Compact { get; set; }

    /// <summary>Gets or sets a value indicating whether the batch must be written even without entries (peer changes).</summary>
    internal bool Forced { get; set; }

    /// <summary>Gets or sets why the batch cannot be committed (an entry that does not encode), or <see langword="null"/>.</summary>
    internal System.Exception? Poison { get; set; }

    internal bool IsEmpty => Entries.Count == 0 && !Compact && !Forced;

    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
