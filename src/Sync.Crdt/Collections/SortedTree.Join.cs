using System;
using System.Collections.Generic;

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
    /// equals one input entry for entry, that input is returned.
    /// </remarks>
    /// <param name="other">The right-hand tree.</param>
    /// <param name="joiner">The per-key policy.</param>
    /// <param name="liveCount">The number of result entries the joiner counts as live.</param>
    /// <returns>The joined tree; this instance or <paramref name="other"/> when the result equals it.</returns>
    public SortedTree<TKey, TValue> Join<TJoiner>(SortedTree<TKey, TValue> other, TJoiner joiner, out int liveCount)
        where TJoiner : struct, ISortedTreeJoiner<TKey, TValue>
    {
        // Walk the larger tree as the primary input, whose unchanged leaves the result reuses.
        return other.Count > Count
            ? JoinCore(other, this, new SwappedJoiner<TJoiner>(joiner), out liveCount)
            : JoinCore(this, other, joiner, out liveCount);
    }

    private static SortedTree<TKey, TValue> JoinCore<TJoiner>(SortedTree<TKey, TValue> primary, SortedTree<TKey, TValue> secondary, TJoiner joiner, out int liveCount)
        where TJoiner : struct, ISortedTreeJoiner<TKey, TValue>
    {
        IComparer<TKey> comparer = primary.Comparer;
        var writer = new LeafWriter(primary.Count + secondary.Count);
        var a = new LeafCursor(primary.Root);
        var b = new LeafCursor(secondary.Root);
        Leaf? la = a.Leaf;
        Leaf? lb = b.Leaf;
        int ia = 0;
        int ib = 0;
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

            TKey ka = la.Keys[ia];
            TKey kb = lb.Keys[ib];
            int c = CompareKeys(comparer, ka, kb);
            if (c == 0)
            {
                switch (joiner.Both(ka, la.Values[ia], lb.Values[ib], out TValue merged))
                {
                    case JoinOutcome.Same:
                        writer.EmitPrimary(la, ia);
                        break;
                    case JoinOutcome.Left:
                        writer.EmitPrimary(la, ia);
                        sameSecondary = false;
                        break;
                    case JoinOutcome.Right:
                        writer.Emit(kb, lb.Values[ib]);
                        samePrimary = false;
                        break;
                    case JoinOutcome.Merged:
                        writer.Emit(ka, merged);
                        samePrimary = false;
                        sameSecondary = false;
                        break;
                    default:
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
                samePrimary &= PrimaryOnly(ref writer, ref joiner, la, ia, ref sameSecondary);
                if (++ia == la.Keys.Length)
                {
                    la = NextLeaf(ref a, ref writer, ref ia);
                }
            }
            else
            {
                if (ib == 0 && CompareKeys(comparer, lb.Keys[^1], ka) < 0 && TryTakeSecondaryLeaf(ref writer, ref joiner, lb))
                {
                    samePrimary = false;
                    lb = NextLeaf(ref b, ref ib);
                    continue;
                }

                samePrimary &= SecondaryOnly(ref writer, ref joiner, lb, ib, ref sameSecondary);
                if (++ib == lb.Keys.Length)
                {
                    lb = NextLeaf(ref b, ref ib);
                }
            }
        }

        while (la is not null)
        {
            samePrimary &= PrimaryOnly(ref writer, ref joiner, la, ia, ref sameSecondary);
            if (++ia == la.Keys.Length)
            {
                la = NextLeaf(ref a, ref writer, ref ia);
            }
        }

        while (lb is not null)
        {
            if (ib == 0 && TryTakeSecondaryLeaf(ref writer, ref joiner, lb))
            {
                samePrimary = false;
                lb = NextLeaf(ref b, ref ib);
                continue;
            }

            samePrimary &= SecondaryOnly(ref writer, ref joiner, lb, ib, ref sameSecondary);
            if (++ib == lb.Keys.Length)
            {
                lb = NextLeaf(ref b, ref ib);
            }
        }

        List<Node> leaves = writer.Finish();
        liveCount = CountLive(leaves, ref joiner);
        if (samePrimary)
        {
            return primary;
        }

        return sameSecondary ? secondary : FromNodes(comparer, leaves);
    }

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
    private static bool PrimaryOnly<TJoiner>(ref LeafWriter writer, ref TJoiner joiner, Leaf la, int ia, ref bool sameSecondary)
        where TJoiner : struct, ISortedTreeJoiner<TKey, TValue>
    {
        switch (joiner.LeftOnly(la.Keys[ia], la.Values[ia], out TValue merged))
        {
            case JoinOutcome.Left:
                writer.EmitPrimary(la, ia);
                sameSecondary = false;
                return true;
            case JoinOutcome.Merged:
                writer.Emit(la.Keys[ia], merged);
                sameSecondary = false;
                return false;
            default:
                return false;
        }
    }

    /// <summary>Handles a key only the secondary holds; returns whether the primary is still unchanged.</summary>
    private static bool SecondaryOnly<TJoiner>(ref LeafWriter writer, ref TJoiner joiner, Leaf lb, int ib, ref bool sameSecondary)
        where TJoiner : struct, ISortedTreeJoiner<TKey, TValue>
    {
        switch (joiner.RightOnly(lb.Keys[ib], lb.Values[ib], out TValue merged))
        {
            case JoinOutcome.Right:
                writer.Emit(lb.Keys[ib], lb.Values[ib]);
                return false;
            case JoinOutcome.Merged:
                writer.Emit(lb.Keys[ib], merged);
                sameSecondary = false;
                return false;
            default:
                sameSecondary = false;
                return true;
        }
    }

    /// <summary>Takes a whole secondary leaf that precedes the primary's current key when every entry survives unchanged.</summary>
    private static bool TryTakeSecondaryLeaf<TJoiner>(ref LeafWriter writer, ref TJoiner joiner, Leaf lb)
        where TJoiner : struct, ISortedTreeJoiner<TKey, TValue>
    {
        TKey[] keys = lb.Keys;
        TValue[] values = lb.Values;
        for (int i = 0; i < keys.Length; i++)
        {
            if (joiner.RightOnly(keys[i], values[i], out _) != JoinOutcome.Right)
            {
                return false;
            }
        }

        writer.AppendLeaf(lb);
        return true;
    }

    private static int CountLive<TJoiner>(List<Node> leaves, ref TJoiner joiner)
        where TJoiner : struct, ISortedTreeJoiner<TKey, TValue>
    {
        int live = 0;
        foreach (Node node in leaves)
        {
            TValue[] values = ((Leaf)node).Values;
            if (joiner.AllLive)
            {
                live += values.Length;
                continue;
            }

            foreach (TValue value in values)
            {
                if (joiner.IsLive(value))
                {
                    live++;
                }
            }
        }

        return live;
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
            _keys[_count] = key;
            _values[_count] = value;
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

    /// <summary>Presents a joiner with its inputs swapped, so the larger tree can be walked as the primary.</summary>
    private readonly struct SwappedJoiner<TJoiner> : ISortedTreeJoiner<TKey, TValue>
        where TJoiner : struct, ISortedTreeJoiner<TKey, TValue>
    {
        private readonly TJoiner _inner;

        public SwappedJoiner(TJoiner inner) => _inner = inner;

        public bool AllLive => _inner.AllLive;

        public JoinOutcome Both(TKey key, TValue left, TValue right, out TValue merged) =>
            Swap(_inner.Both(key, right, left, out merged));

        public JoinOutcome LeftOnly(TKey key, TValue left, out TValue merged) => Swap(_inner.RightOnly(key, left, out merged));

        public JoinOutcome RightOnly(TKey key, TValue right, out TValue merged) => Swap(_inner.LeftOnly(key, right, out merged));

        public bool IsLive(TValue value) => _inner.IsLive(value);

        private static JoinOutcome Swap(JoinOutcome outcome) => outcome switch
        {
            JoinOutcome.Left => JoinOutcome.Right,
            JoinOutcome.Right => JoinOutcome.Left,
            _ => outcome,
        };
    }
}
