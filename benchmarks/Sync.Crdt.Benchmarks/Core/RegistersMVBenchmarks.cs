using System;
using System.Collections.Generic;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// Multi-value register merge with <see cref="Siblings"/> concurrent values, 1% of them (at least one) overwritten on
/// each side by their own replica (different ones, so the sides are concurrent), against a naive Dictionary-based dot kernel; plus a write on such a register.
/// </summary>
public class RegistersMVBenchmarks
{
    private MVRegister<int> _left = MVRegister<int>.Empty;
    private MVRegister<int> _right = MVRegister<int>.Empty;
    private MVRegister<int> _merged = MVRegister<int>.Empty;
    private NaiveMVRegister _naiveLeft = NaiveMVRegister.Empty;
    private NaiveMVRegister _naiveRight = NaiveMVRegister.Empty;
    private ReplicaId _writer;

    /// <summary>Concurrent values (one per replica) in each register.</summary>
    [Params(10, 1_000, 100_000)]
    public int Siblings { get; set; }

    /// <summary>Builds both replicas directly from entries and contexts (merging 100,000 writes one by one would take minutes).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var replicas = new ReplicaId[Siblings];
        var leftEntries = new List<KeyValuePair<Dot, int>>(Siblings);
        var rightEntries = new List<KeyValuePair<Dot, int>>(Siblings);
        var leftVector = new List<Dot>(Siblings);
        var rightVector = new List<Dot>(Siblings);
        // 1% of the siblings (at least one) on each side, disjoint, were overwritten by their own replica: neither side includes the other.
        int perSide = Math.Max(1, Siblings / 100);
        var divergentLeft = new HashSet<int>();
        var divergentRight = new HashSet<int>();
        while (divergentLeft.Count < perSide)
        {
            divergentLeft.Add(random.Next(Siblings));
        }

        while (divergentRight.Count < perSide && divergentLeft.Count + divergentRight.Count < Siblings)
        {
            int candidate = random.Next(Siblings);
            if (!divergentLeft.Contains(candidate))
            {
                divergentRight.Add(candidate);
            }
        }

        for (int i = 0; i < Siblings; i++)
        {
            replicas[i] = new ReplicaId("replica-" + i.ToString("D6", CultureInfo.InvariantCulture));
            var first = new Dot(replicas[i], 1);
            var second = new Dot(replicas[i], 2);
            Dot leftDot = divergentLeft.Contains(i) ? second : first;
            Dot rightDot = divergentRight.Contains(i) ? second : first;
            leftEntries.Add(new(leftDot, leftDot == first ? i : -i));
            leftVector.Add(leftDot);
            rightEntries.Add(new(rightDot, rightDot == first ? i : -i));
            rightVector.Add(rightDot);
        }

        _left = MVRegister<int>.Create(leftEntries, CausalContext.Create(VersionVector.Create(leftVector)));
        _right = MVRegister<int>.Create(rightEntries, CausalContext.Create(VersionVector.Create(rightVector)));
        _merged = _left.Merge(_right);
        _naiveLeft = NaiveMVRegister.From(_left);
        _naiveRight = NaiveMVRegister.From(_right);
        _writer = replicas[Siblings / 2];
    }

    /// <summary>Naive baseline: entries in a Dictionary keyed by dot, context as a HashSet of dots.</summary>
    [Benchmark(Baseline = true)]
    public NaiveMVRegister NaiveMerge() => _naiveLeft.Merge(_naiveRight);

    /// <summary>Merge of the two registers (sorted-array dot kernel).</summary>
    [Benchmark]
    public MVRegister<int> Merge() => _left.Merge(_right);

    /// <summary>Merge with a state already included: comparisons only, the same instance back.</summary>
    [Benchmark]
    public MVRegister<int> MergeIncluded() => _merged.Merge(_left);

    /// <summary>A write that replaces every sibling, with its delta.</summary>
    [Benchmark]
    public MVRegister<int> Set() => _left.Set(_writer, 7, out _);

    /// <summary>A naive multi-value register: what the sorted-array representation is measured against.</summary>
    public sealed class NaiveMVRegister
    {
        private readonly Dictionary<Dot, int> _entries;
        private readonly HashSet<Dot> _context;

        private NaiveMVRegister(Dictionary<Dot, int> entries, HashSet<Dot> context)
        {
            _entries = entries;
            _context = context;
        }

        /// <summary>Gets the empty register.</summary>
        public static NaiveMVRegister Empty { get; } = new([], []);

        /// <summary>Gets the number of siblings.</summary>
        public int Count => _entries.Count;

        /// <summary>Copies a register (every context dot enumerated explicitly).</summary>
        public static NaiveMVRegister From(MVRegister<int> register)
        {
            var entries = new Dictionary<Dot, int>();
            for (int i = 0; i < register.Count; i++)
            {
                entries[register.Dots[i]] = register.Values[i];
            }

            var context = new HashSet<Dot>();
            foreach (Dot latest in register.Context.VersionVector)
            {
                for (long c = 1; c <= latest.Counter; c++)
                {
                    context.Add(new Dot(latest.Replica, c));
                }
            }

            return new NaiveMVRegister(entries, context);
        }

        /// <summary>The dot-kernel join over hash structures.</summary>
        public NaiveMVRegister Merge(NaiveMVRegister other)
        {
            var entries = new Dictionary<Dot, int>();
            foreach (KeyValuePair<Dot, int> entry in _entries)
            {
                if (other._entries.ContainsKey(entry.Key) || !other._context.Contains(entry.Key))
                {
                    entries[entry.Key] = entry.Value;
                }
            }

            foreach (KeyValuePair<Dot, int> entry in other._entries)
            {
                if (!_context.Contains(entry.Key))
                {
                    entries[entry.Key] = entry.Value;
                }
            }

            var context = new HashSet<Dot>(_context);
            context.UnionWith(other._context);
            return new NaiveMVRegister(entries, context);
        }
    }
}
