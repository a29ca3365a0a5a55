using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sync.Crdt.Collections;

/// <content>The merge-join of two trees.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>
    /// Merge-joins this tree with <paramref name="other"/> (same order) key by key under <paramref name="joiner"/>,
    /// in O(n + m) comparisons at worst.
    /// </summary>
    /// <remarks>
    /// Leaves shared by both trees (reference-equal, as after edits of one ancestor) are taken wholesale without
    /// comparing their entries. Runs of the larger input that come through unchanged keep their original leaves,
    /// so the result allocates only for changed leaves and the branch levels above the leaves. When the result
    /// equals one input entry for entry, that input is returned. The live count of the result is derived from the
    /// inputs' live counts and the changed keys only, so unchanged entries are never visited twice.
    /// </remarks>
    /// <param name="other">The right-hand tree.</param>
    /// <param name="joiner">The per-key policy.</param>
    /// <param name="thisLive">The number of entries of this tree the joiner counts as live.</param>
    /// <param name="otherLive">The number of entries of <paramref name="other"/> the joiner counts as live.</param>
    /// <param name="liveCount">The number of result entries the joiner counts as live.</param>
    /// <returns>The joined tree; this instance or <paramref name="other"/> when the result equals it.</returns>
    public SortedTree<TKey, TValue> Join<TJoiner>(SortedTree<TKey, TValue> other, TJoiner joiner, int thisLive, int otherLive, out int liveCount)
        where TJoiner : struct, ISortedTreeJoiner<TValue> =>
        Join(other, joiner, thisLive, otherLive, changes: null, out liveCount);

    /// <summary>
    /// Merge-joins like <see cref="Join{TJoiner}(SortedTree{TKey, TValue}, TJoiner, int, int, out int)"/> and
    /// records, in key order, every key whose entry the result changed relative to the primary input: the
    /// larger tree, <paramref name="other"/> when <see cref="IsPrimaryOther"/> says so, else this one.
    /// </summary>
    /// <param name="other">The right-hand tree.</param>
    /// <param name="joiner">The per-key policy.</param>
    /// <param name="thisLive">The number of entries of this tree the joiner counts as live.</param>
    /// <param name="otherLive">The number of entries of <paramref name="other"/> the joiner counts as live.</param>
    /// <param name="changes">Receives the changed keys, or <see langword="null"/> to record nothing.</param>
    /// <param name="liveCount">The number of result entries the joiner counts as live.</param>
    /// <returns>The joined tree; this instance or <paramref name="other"/> when the result equals it.</returns>
    public SortedTree<TKey, TValue> Join<TJoiner>(SortedTree<TKey, TValue> other, TJoiner joiner, int thisLive, int otherLive, List<SortedTreeChange<TKey, TValue>>? changes, out int liveCount)
        where TJoiner : struct, ISortedTreeJoiner<TValue>
    {
        // Walk the larger tree as the primary input, whose unchanged leaves the result reuses.
        bool swapped = IsPrimaryOther(other);
        SortedTree<TKey, TValue> primary = swapped ? other : this;
        SortedTree<TKey, TValue> secondary = swapped ? this : other;
        SortedTree<TKey, TValue> result = JoinCore(primary, secondary, ref joiner, swapped, changes, out int liveChange);
        liveCount = ReferenceEquals(result, secondary)
            ? (swapped ? thisLive : otherLive)
            : (swapped ? otherLive : thisLive) + liveChange;
        return result;
    }

    /// <summary>Returns whether a join of this tree with <paramref name="other"/> walks <paramref name="other"/> as its primary input.</summary>
    public bool IsPrimaryOther(SortedTree<TKey, TValue> other) => other.Count > Count;

    private static SortedTree<TKey, TValue> JoinCore<TJoiner>(SortedTree<TKey, TValue> primary, SortedTree<TKey, TValue> secondary, ref TJoiner joiner, bool swapped, List<SortedTreeChange<TKey, TValue>>? changes, out int liveChange)
        where TJoiner : struct, ISortedTreeJoiner<TValue>
    {
        IComparer<TKey> comparer = primary.Comparer;
        var writer = new LeafWriter(primary.Count + secondary.Count);
        var a = new LeafCursor(primary.Root);
        var b = new LeafCursor(secondary.Root);
        Leaf? la = a.Leaf;
        Leaf? lb = b.Leaf;
        int ia = 0;
        int ib = 0;
        int live = 0;
        bool samePrimary = true;
        bool sameSecondary = true;
        if (la is not null)
        {
            writer.BeginPrimaryLeaf(la);
        }

        while (la is not null && lb is not null)
        {
            if (ia == 0 && ib == 0 && ReferenceEquals(la, lb))
            {
                writer.EmitPrimaryRange(la, 0, la.Keys.Length);
                la = NextLeaf(ref a, ref writer, ref ia);
                lb = NextLeaf(ref b, ref ib);
                continue;
            }

            // The common case of replicas that mostly agree: a run of keys both hold where the primary's entry stands.
            int kept = KeptRun(ref joiner, swapped, comparer, la, ia, lb, ib, ref sameSecondary);
            if (kept > 0)
            {
                writer.EmitPrimaryRange(la, ia, ia + kept);
                ia += kept;
                ib += kept;
                if (ia == la.Keys.Length)
                {
                    la = NextLeaf(ref a, ref writer, ref ia);
                }

                if (ib == lb.Keys.Length)
                {
                    lb = NextLeaf(ref b, ref ib);
                }

                continue;
            }

            TKey ka = la.Keys[ia];
            TKey kb = lb.Keys[ib];
            int c = CompareKeysForJoin(comparer, ka, kb);
            if (c == 0)
            {
                TValue va = la.Values[ia];
                TValue vb = lb.Values[ib];
                switch (DecideBoth(ref joiner, swapped, va, vb, out TValue merged))
                {
                    case JoinOutcome.Same:
                        writer.EmitPrimary(la, ia);
                        break;
                    case JoinOutcome.Left:
                        writer.EmitPrimary(la, ia);
                        sameSecondary = false;
                        break;
                    case JoinOutcome.Right:
                        writer.Emit(kb, vb);
                        live += Live(ref joiner, vb) - Live(ref joiner, va);
                        changes?.Add(new(ka, true, va, true, vb));
                        samePrimary = false;
                        break;
                    case JoinOutcome.Merged:
                        writer.Emit(ka, merged);
                        live += Live(ref joiner, merged) - Live(ref joiner, va);
                        changes?.Add(new(ka, true, va, true, merged));
                        samePrimary = false;
                        sameSecondary = false;
                        break;
                    default:
                        live -= Live(ref joiner, va);
                        changes?.Add(new(ka, true, va, false, default!));
                        samePrimary = false;
                        sameSecondary = false;
                        break;
                }

                if (++ia == la.Keys.Length)
                {
                    la = NextLeaf(ref a, ref writer, ref ia);
                }

                if (++ib == lb.Keys.Length)
                {
                    lb = NextLeaf(ref b, ref ib);
                }
            }
            else if (c < 0)
            {
                samePrimary &= PrimaryOnly(ref writer, ref joiner, swapped, la, ia, ref sameSecondary, ref live, changes);
                if (++ia == la.Keys.Length)
                {
                    la = NextLeaf(ref a, ref writer, ref ia);
                }
            }
            else
            {
                if (ib == 0 && CompareKeys(comparer, lb.Keys[^1], ka) < 0 && TryTakeSecondaryLeaf(ref writer, ref joiner, swapped, lb, ref live, changes))
                {
                    samePrimary = false;
                    lb = NextLeaf(ref b, ref ib);
                    continue;
                }

                samePrimary &= SecondaryOnly(ref writer, ref joiner, swapped, lb, ib, ref sameSecondary, ref live, changes);
                if (++ib == lb.Keys.Length)
                {
                    lb = NextLeaf(ref b, ref ib);
                }
            }
        }

        while (la is not null)
        {
            samePrimary &= PrimaryOnly(ref writer, ref joiner, swapped, la, ia, ref sameSecondary, ref live, changes);
            if (++ia == la.Keys.Length)
            {
                la = NextLeaf(ref a, ref writer, ref ia);
            }
        }

        while (lb is not null)
        {
            if (ib == 0 && TryTakeSecondaryLeaf(ref writer, ref joiner, swapped, lb, ref live, changes))
            {
                samePrimary = false;
                lb = NextLeaf(ref b, ref ib);
                continue;
            }

            samePrimary &= SecondaryOnly(ref writer, ref joiner, swapped, lb, ib, ref sameSecondary, ref live, changes);
            if (++ib == lb.Keys.Length)
            {
                lb = NextLeaf(ref b, ref ib);
            }
        }

        List<Node> leaves = writer.Finish();
        liveChange = live;
        if (samePrimary)
        {
            return primary;
        }

        return sameSecondary ? secondary : FromNodes(comparer, leaves);
    }

    /// <summary>
    /// Counts the entries from <c>la[ia]</c> and <c>lb[ib]</c> on (within both leaves) whose keys match and whose
    /// joined entry is the primary's unchanged one (<see cref="JoinOutcome.Same"/> or <see cref="JoinOutcome.Left"/>):
    /// the tight loop that independently built replicas spend most of a merge in.
    /// </summary>
    private static int KeptRun<TJoiner>(ref TJoiner joiner, bool swapped, IComparer<TKey> comparer, Leaf la, int ia, Leaf lb, int ib, ref bool sameSecondary)
        where TJoiner : struct, ISortedTreeJoiner<TValue>
    {
        TKey[] keysA = la.Keys;
        TValue[] valuesA = la.Values;
        TKey[] keysB = lb.Keys;
        TValue[] valuesB = lb.Values;
        int n = Math.Min(keysA.Length - ia, keysB.Length - ib);
        int k = 0;
        while (k < n && CompareKeysForJoin(comparer, keysA[ia + k], keysB[ib + k]) == 0)
        {
            JoinOutcome outcome = DecideBoth(ref joiner, swapped, valuesA[ia + k], valuesB[ib + k], out _);
            if (outcome == JoinOutcome.Left)
            {
                sameSecondary = false;
            }
            else if (outcome != JoinOutcome.Same)
            {
                break;
            }

            k++;
        }

        return k;
    }

    /// <summary>
    /// Compares two keys of a merge-join, where most compared pairs are equal: ordinal strings are tested for
    /// equality before they are ordered (see <see cref="OrdinalEqualFirst"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompareKeysForJoin(IComparer<TKey> comparer, TKey left, TKey right)
    {
        if (!typeof(TKey).IsValueType && ReferenceEquals(comparer, StringComparer.Ordinal))
        {
            return OrdinalEqualFirst.Compare(Unsafe.As<TKey, string>(ref left), Unsafe.As<TKey, string>(ref right));
        }

        return CompareKeys(comparer, left, right);
    }

    /// <summary>Asks the joiner about a key both inputs hold; the outcome names the primary input <c>Left</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static JoinOutcome DecideBoth<TJoiner>(ref TJoiner joiner, bool swapped, TValue primary, TValue secondary, out TValue merged)
        where TJoiner : struct, ISortedTreeJoiner<TValue>
    {
        return swapped
            ? Swap(joiner.Both(secondary, primary, out merged))
            : joiner.Both(primary, secondary, out merged);
    }

    /// <summary>Exchanges <see cref="JoinOutcome.Left"/> and <see cref="JoinOutcome.Right"/>.</summary>
    private static JoinOutcome Swap(JoinOutcome outcome) => outcome switch
    {
        JoinOutcome.Left => JoinOutcome.Right,
        JoinOutcome.Right => JoinOutcome.Left,
        _ => outcome,
    };

    /// <summary>Returns 1 when the joiner counts <paramref name="value"/> as live, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Live<TJoiner>(ref TJoiner joiner, TValue value)
        where TJoiner : struct, ISortedTreeJoiner<TValue> =>
        joiner.IsLive(value) ? 1 : 0;

    private static Leaf? NextLeaf(ref LeafCursor cursor, ref LeafWriter writer, ref int index)
    {
        index = 0;
        cursor.MoveNextLeaf();
        if (cursor.Leaf is not null)
        {
            writer.BeginPrimaryLeaf(cursor.Leaf);
        }

        return cursor.Leaf;
    }

    private static Leaf? NextLeaf(ref LeafCursor cursor, ref int index)
    {
        index = 0;
        cursor.MoveNextLeaf();
        return cursor.Leaf;
    }

    /// <summary>Handles a key only the primary holds; returns whether the primary's entry came through unchanged.</summary>
    private static bool PrimaryOnly<TJoiner>(ref LeafWriter writer, ref TJoiner joiner, bool swapped, Leaf la, int ia, ref bool sameSecondary, ref int live, List<SortedTreeChange<TKey, TValue>>? changes)
        where TJoiner : struct, ISortedTreeJoiner<TValue>
    {
        TValue value = la.Values[ia];
        JoinOutcome outcome = swapped
            ? Swap(joiner.RightOnly(value, out TValue merged))
            : joiner.LeftOnly(value, out merged);
        switch (outcome)
        {
            case JoinOutcome.Left:
                writer.EmitPrimary(la, ia);
                sameSecondary = false;
                return true;
            case JoinOutcome.Merged:
                writer.Emit(la.Keys[ia], merged);
                live += Live(ref joiner, merged) - Live(ref joiner, value);
                changes?.Add(new(la.Keys[ia], true, value, true, merged));
                sameSecondary = false;
                return false;
            default:
                live -= Live(ref joiner, value);
                changes?.Add(new(la.Keys[ia], true, value, false, default!));
                return false;
        }
    }

    /// <summary>Handles a key only the secondary holds; returns whether the primary is still unchanged.</summary>
    private static bool SecondaryOnly<TJoiner>(ref LeafWriter writer, ref TJoiner joiner, bool swapped, Leaf lb, int ib, ref bool sameSecondary, ref int live, List<SortedTreeChange<TKey, TValue>>? changes)
        where TJoiner : struct, ISortedTreeJoiner<TValue>
    {
        TValue value = lb.Values[ib];
        JoinOutcome outcome = swapped
            ? Swap(joiner.LeftOnly(value, out TValue merged))
            : joiner.RightOnly(value, out merged);
        switch (outcome)
        {
            case JoinOutcome.Right:
                writer.Emit(lb.Keys[ib], value);
                live += Live(ref joiner, value);
                changes?.Add(new(lb.Keys[ib], false, default!, true, value));
                return false;
            case JoinOutcome.Merged:
                writer.Emit(lb.Keys[ib], merged);
                live += Live(ref joiner, merged);
                changes?.Add(new(lb.Keys[ib], false, default!, true, merged));
                sameSecondary = false;
                return false;
            default:
                sameSecondary = false;
                return true;
        }
    }

    /// <summary>Takes a whole secondary leaf that precedes the primary's current key when every entry survives unchanged.</summary>
    private static bool TryTakeSecondaryLeaf<TJoiner>(ref LeafWriter writer, ref TJoiner joiner, bool swapped, Leaf lb, ref int live, List<SortedTreeChange<TKey, TValue>>? changes)
        where TJoiner : struct, ISortedTreeJoiner<TValue>
    {
        TKey[] keys = lb.Keys;
        TValue[] values = lb.Values;
        int leafLive = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            JoinOutcome outcome = swapped ? joiner.LeftOnly(values[i], out _) : joiner.RightOnly(values[i], out _);
            if (outcome != (swapped ? JoinOutcome.Left : JoinOutcome.Right))
            {
                return false;
            }

            leafLive += Live(ref joiner, values[i]);
        }

        writer.AppendLeaf(lb);
        live += leafLive;
        if (changes is not null)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                changes.Add(new(keys[i], false, default!, true, values[i]));
            }
        }

        return true;
    }

    /// <summary>
    /// Collects join output into leaves. Entries copied unchanged from the primary's current leaf are tracked
    /// as a "verbatim run" and only materialized when the run breaks, so a leaf that comes through whole is reused.
    /// </summary>
    private struct LeafWriter
    {
        private readonly List<Node> _leaves;
        private readonly TKey[] _keys;
        private readonly TValue[] _values;
        private int _count;
        private Leaf? _run;
        private int _runCount;

        public LeafWriter(int capacityHint)
        {
            _leaves = new List<Node>(Math.Max(1, capacityHint / LeafFill));
            // Small joins need small buffers (a leaf never exceeds the input size).
            int buffer = Math.Clamp(capacityHint, 1, LeafMax);
            _keys = new TKey[buffer];
            _values = new TValue[buffer];
            _count = 0;
            _run = null;
            _runCount = 0;
        }

        /// <summary>Called when the primary's cursor enters a new leaf: closes the previous run, maybe starts a new one.</summary>
        public void BeginPrimaryLeaf(Leaf leaf)
        {
            CloseRun();
            if (_count >= LeafMin)
            {
                FlushBuffer();
            }

            if (_count == 0)
            {
                _run = leaf;
                _runCount = 0;
            }
        }

        /// <summary>Emits the primary's entry <paramref name="index"/> of <paramref name="leaf"/>, unchanged.</summary>
        public void EmitPrimary(Leaf leaf, int index)
        {
            if (ReferenceEquals(_run, leaf) && _runCount == index)
            {
                _runCount++;
                return;
            }

            Add(leaf.Keys[index], leaf.Values[index]);
        }

        /// <summary>Emits entries <c>[from, to)</c> of the primary's current leaf, unchanged.</summary>
        public void EmitPrimaryRange(Leaf leaf, int from, int to)
        {
            if (ReferenceEquals(_run, leaf) && _runCount == from)
            {
                _runCount = to;
                return;
            }

            for (int i = from; i < to; i++)
            {
                Add(leaf.Keys[i], leaf.Values[i]);
            }
        }

        /// <summary>Emits a new or secondary entry.</summary>
        public void Emit(TKey key, TValue value) => Add(key, value);

        /// <summary>Appends a whole leaf from the secondary input, reusing it when nothing is pending.</summary>
        public void AppendLeaf(Leaf leaf)
        {
            if (_run is not null && _runCount == 0)
            {
                // The primary's run has not started and the buffer is empty: the leaf goes first, the run stays open.
                _leaves.Add(leaf);
                return;
            }

            Materialize();
            if (_count >= LeafMin)
            {
                FlushBuffer();
            }

            if (_count == 0)
            {
                _leaves.Add(leaf);
                return;
            }

            for (int i = 0; i < leaf.Keys.Length; i++)
            {
                Add(leaf.Keys[i], leaf.Values[i]);
            }
        }

        /// <summary>Closes the output and returns its leaves in key order.</summary>
        public List<Node> Finish()
        {
            CloseRun();
            FlushBuffer();
            return _leaves;
        }

        private void Add(TKey key, TValue value)
        {
            Materialize();

            // The buffers are exactly TKey[] and TValue[] (created here), so the stores skip the covariance check.
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_keys), _count) = key;
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), _count) = value;
            if (++_count == _keys.Length)
            {
                FlushBuffer();
            }
        }

        private void CloseRun()
        {
            if (_run is not null && _runCount == _run.Keys.Length)
            {
                _leaves.Add(_run);
                _run = null;
                _runCount = 0;
                return;
            }

            Materialize();
        }

        /// <summary>Turns a partial verbatim run into buffered entries (the buffer is empty while a run is open).</summary>
        private void Materialize()
        {
            Leaf? run = _run;
            if (run is null)
            {
                return;
            }

            _run = null;
            int n = _runCount;
            _runCount = 0;
            Array.Copy(run.Keys, _keys, n);
            Array.Copy(run.Values, _values, n);
            _count = n;
            if (_count == _keys.Length)
            {
                FlushBuffer();
            }
        }

        private void FlushBuffer()
        {
            if (_count == 0)
            {
                return;
            }

            _leaves.Add(new Leaf(_keys.AsSpan(0, _count).ToArray(), _values.AsSpan(0, _count).ToArray()));
            _count = 0;
        }
    }
}
