using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// ORSet&lt;T&gt;: the causal context body, then the element count and, per element in ascending element order,
/// the element, its dot count (at least 1) and its dots (replica index, counter) in ascending order. Every dot
/// must be in the context and keep only one element alive.
/// </summary>
internal sealed class ORSetCodec<T> : GenericCodec<ORSet<T>>
    where T : notnull
{
    private readonly ICrdtValueCodec<T> _element;
    private readonly IComparer<T> _comparer;

    public ORSetCodec(ICrdtValueCodec<T> element, IComparer<T> comparer)
        : base(CrdtTypeTags.ORSet, element)
    {
        _element = element;
        _comparer = comparer;
    }

    private bool ElementIsString => typeof(T) == typeof(string) && ReferenceEquals(_element, StringCodec.Instance);

    public ORSetCodec(CrdtSerializerOptions options)
        : this(options.GetCodec<T>(), OrderedCodecs.DefaultOrder<T>(nameof(ORSet<T>)))
    {
    }

    public override void Encode(CrdtWriter writer, ORSet<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        OrderedCodecs.ThrowIfOtherOrder(_comparer, value.Comparer, nameof(ORSet<T>));
        CausalityEncoding.WriteContext(writer, value.Context);
        writer.WriteCount(value.Count);

        // Built-in string elements are written straight as strings (what their codec does), one nesting level deep.
        bool strings = ElementIsString && writer.CanNest;
        var leaves = new SortedTree<T, Dot[]>.LeafCursor(value.EntryTree.Root);
        while (leaves.Leaf is { } leaf)
        {
            T[] elements = leaf.Keys;
            Dot[][] values = leaf.Values;
            for (int i = 0; i < elements.Length && i < values.Length; i++)
            {
                T element = elements[i];
                if (strings)
                {
                    writer.WriteString(Unsafe.As<T, string>(ref element));
                }
                else
                {
                    writer.Write(element, _element);
                }

                Dot[] dots = values[i];
                if (dots.Length == 1)
                {
                    // The usual case: the count and the one dot in one write.
                    writer.WriteVarUInt64Triple(1, (uint)writer.InternReplica(dots[0].Replica), (ulong)dots[0].Counter);
                    continue;
                }

                writer.WriteCount(dots.Length);
                foreach (Dot dot in dots)
                {
                    writer.WriteVarUInt64Pair((uint)writer.InternReplica(dot.Replica), (ulong)dot.Counter);
                }
            }

            leaves.MoveNextLeaf();
        }
    }

    public override ORSet<T> Decode(ref CrdtReader reader)
    {
        CausalContext context = CausalityEncoding.ReadContext(ref reader);

        // An element takes at least 4 bytes: the element (1), a dot count (1) and one dot (2).
        int count = reader.ReadCount(minimumBytesPerElement: 4);

        // Elements and their dots are read straight into the leaves of a bottom-up build (the count is checked
        // against the input, so the leaves are too): no array of the whole input is allocated and copied.
        int leafCount = SortedTree<T, Dot[]>.LeafCountFor(count);
        var leaves = new List<SortedTree<T, Dot[]>.Node>(leafCount);
        var leafItems = new T[leafCount][];
        using var collected = new DecodedDots(context, reader.ReplicaCount);
        T previous = default!;
        int begin = 0;
        for (int leaf = 0; leaf < leafCount; leaf++)
        {
            int end = SortedTree<T, Dot[]>.LeafEnd(count, leafCount, leaf);
            var items = new T[end - begin];
            var dots = new Dot[end - begin][];
            for (int k = 0; k < items.Length; k++)
            {
                T item = ReadItem(ref reader, begin + k, previous);
                items[k] = item;
                previous = item;
                dots[k] = ReadDots(ref reader, item, collected, DecodedDots.Position(leaf, k));
            }

            leaves.Add(new SortedTree<T, Dot[]>.Leaf(items, dots));
            leafItems[leaf] = items;
            begin = end;
        }

        // Every invariant FromParts checks holds now: order, non-empty ascending dots, coverage; uniqueness is
        // proven by the sort into dot order, which also builds the dot index.
        SortedTree<Dot, T> index = collected.BuildIndex(ref reader, leafItems);
        return ORSet<T>.FromTrees(SortedTree<T, Dot[]>.FromNodes(_comparer, leaves), index, context);
    }

    private T ReadItem(ref CrdtReader reader, int i, T previous)
    {
        int start = reader.Position;
        T item = reader.Read(_element);
        if (item is null)
        {
            throw CrdtReader.Error("A set element must not be null.", start);
        }

        if (i > 0 && SortedTree<T, Dot[]>.CompareKeys(_comparer, previous, item) >= 0)
        {
            throw CrdtReader.Error($"Set elements must be in strictly ascending order; '{item}' follows '{previous}'.", start);
        }

        return item;
    }

    private static Dot[] ReadDots(ref CrdtReader reader, T item, DecodedDots collected, int position)
    {
        int dotCount = reader.ReadCount(minimumBytesPerElement: 2);
        if (dotCount == 0)
        {
            throw reader.Error($"Set element '{item}' has no dots; an element needs at least one add that keeps it alive.");
        }

        var elementDots = new Dot[dotCount];
        for (int j = 0; j < dotCount; j++)
        {
            int dotStart = reader.Position;
            var dot = new Dot(reader.ReadReplica(out int replicaIndex), reader.ReadCounter(), trusted: true);
            if (j > 0 && dot.CompareTo(elementDots[j - 1]) <= 0)
            {
                throw CrdtReader.Error($"The dots of set element '{item}' must be in strictly ascending order; {dot} follows {elementDots[j - 1]}.", dotStart);
            }

            if (!collected.InContext(replicaIndex, dot.Replica, dot.Counter))
            {
                throw CrdtReader.Error($"Set element '{item}' has dot {dot}, which the set's causal context does not contain.", dotStart);
            }

            collected.Add(replicaIndex, dot.Counter, position, dotStart);
            elementDots[j] = dot;
        }

        return elementDots;
    }
}
