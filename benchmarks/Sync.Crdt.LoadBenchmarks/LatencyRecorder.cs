using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Causality;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>Edit times by (writer replica, clock), matched when an observer first sees the character.</summary>
internal sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<(ReplicaId Replica, long Clock), long> _sent = new();
    private readonly List<double> _latencies = [];
    private long _observed;
    private long _lastObservation;

    public bool Counting { get; set; }

    public long Observed => Interlocked.Read(ref _observed);

    public long LastObservation => Interlocked.Read(ref _lastObservation);

    public void Sent(ReplicaId replica, long clock) => _sent[(replica, clock)] = Stopwatch.GetTimestamp();

    public void Seen(ReplicaId replica, long clock, long now)
    {
        if (!_sent.TryRemove((replica, clock), out long sent))
        {
            return;
        }

        Interlocked.Increment(ref _observed);
        Interlocked.Exchange(ref _lastObservation, now);
        if (Counting)
        {
            lock (_latencies)
            {
                _latencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
            }
        }
    }

    public (double P50, double P99, int Samples) Percentiles()
    {
        lock (_latencies)
        {
            if (_latencies.Count == 0)
            {
                return (double.NaN, double.NaN, 0);
            }

            double[] sorted = [.. _latencies];
            Array.Sort(sorted);
            return (sorted[(int)(0.5 * sorted.Length)], sorted[Math.Min(sorted.Length - 1, (int)(0.99 * sorted.Length))], sorted.Length);
        }
    }
}
