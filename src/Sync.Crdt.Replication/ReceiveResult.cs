using System;
using System.Collections.Generic;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication;

/// <summary>
/// The result of <see cref="DeltaReplicator.Receive"/>: what the replicator did with a message, what it changed, and
/// the replies to deliver to the sender.
/// </summary>
/// <remarks>
/// <para><b>For a durable store.</b> When <see cref="Entry"/> is not <see langword="null"/> the message changed the
/// replicator's values, and <see cref="Replies"/> holds the acknowledging digest: commit the entry before the
/// replies leave, so that an acknowledgement this replica sends always means the data is on its disk (a
/// <see cref="ReplicationPump"/> created with <see cref="ReplicationPumpOptions.HoldUntilDurable"/> enforces the
/// order). <see cref="Entry"/> also tells an application which keys a peer changed.</para>
/// <para>An immutable value; thread-safe.</para>
/// </remarks>
[Immutable]
public readonly struct ReceiveResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="message">The message that was handled.</param>
    /// <param name="outcome">What was done with it.</param>
    /// <param name="entry">What it added to the replicator, or <see langword="null"/> when nothing changed.</param>
    /// <param name="replies">The replies to deliver to the sender.</param>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="replies"/> is <see langword="null"/>.</exception>
    public ReceiveResult(ReplicationMessage message, ReceiveOutcome outcome, DeltaLogEntry? entry, IReadOnlyList<OutgoingMessage> replies)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(replies);
        Message = message;
        Outcome = outcome;
        Entry = entry;
        Replies = replies;
    }

    /// <summary>Gets the message that was handled (decoded, when it arrived as bytes).</summary>
    public ReplicationMessage Message { get; }

    /// <summary>Gets what the replicator did with the message.</summary>
    public ReceiveOutcome Outcome { get; }

    /// <summary>Gets the delta log entry the message added (when <see cref="Outcome"/> is <see cref="ReceiveOutcome.Applied"/>), or <see langword="null"/>.</summary>
    public DeltaLogEntry? Entry { get; }

    /// <summary>Gets the replies to deliver to the message's sender (possibly none).</summary>
    public IReadOnlyList<OutgoingMessage> Replies { get; }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Outcome}: {Message}, {Replies?.Count ?? 0} repl{(Replies?.Count == 1 ? "y" : "ies")}";
}
