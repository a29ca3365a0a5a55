using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication;

/// <summary>Settings of a <see cref="ReplicationPump"/>.</summary>
/// <remarks>Immutable and thread-safe; one instance may configure any number of pumps.</remarks>
[Immutable]
public sealed class ReplicationPumpOptions
{
    /// <summary>Gets the default options: frames leave at once.</summary>
    public static ReplicationPumpOptions Default { get; } = new();

    /// <summary>
    /// Gets a value indicating whether frames are held until the events they reflect are durable. When
    /// <see langword="true"/>, every frame the pump produces waits until the vector passed to
    /// <see cref="ReplicationPump.MarkDurable"/> dominates the replicator's vector as it was when the frame was
    /// produced; frames leave in the order they were produced. This is how a store makes every acknowledgement (and
    /// every change a peer sees) mean "committed here". Default <see langword="false"/>.
    /// </summary>
    public bool HoldUntilDurable { get; init; }
}
