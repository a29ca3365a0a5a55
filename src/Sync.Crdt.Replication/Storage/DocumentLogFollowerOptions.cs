using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>Settings of a <see cref="DocumentLogFollower"/>.</summary>
/// <remarks>Immutable once built (init-only); thread-safe.</remarks>
[Immutable]
public sealed class DocumentLogFollowerOptions
{
    /// <summary>Gets the interval of the safety re-read when no signal arrives (default 5 s; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> disables it). It bounds how long a commit whose signal was lost stays unseen.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the delay before retrying after the store failed (default 1 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the most records read per store call (default 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Gets the clock for the poll interval and the retry delay (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (PollInterval != System.Threading.Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
