using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// ORMap&lt;TKey,TValue&gt;: the causal context body, then the key count and, per key in ascending key order, the key,
/// its update count (at least 1) and per update in ascending dot order: the dot (replica index, counter), the
/// incarnation as its distance below the counter (varint, 0 when the update started its lineage) and the value in
/// the nested type's own encoding. Every dot must be in the context and keep only one key alive.
/// </summary>
internal sealed class ORMapCodec<TKey, TValue> : GenericCodec<ORMap<TKey, TValue>>
    where TKey : notnull
    where TValue : class, ICrdt<TValue>
{
    private readonly ICrdtValueCodec<TKey> _key;
    private readonly ICrdtValueCodec<TValue> _value;
    private readonly IComparer<TKey> _comparer;

    public ORMapCodec(ICrdtValueCodec<TKey> key, ICrdtValueCodec<TValue> value, IComparer<TKey> comparer)
        : base(CrdtTypeTags.ORMap, key, value)
    {
        _key = key;
        _value = value;
        _comparer = comparer;
    }

    public ORMapCodec(CrdtSerializerOptions options)
        : this(options.GetCodec<TKey>(), TValue.CreateCodec(options), OrderedCodecs.DefaultOrder<TKey>(nameof(ORMap<TKey, TValue>)))
    {
    }

    public override void Encode(CrdtWriter writer, ORMap<TKey, TValue> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        OrderedCodecs.ThrowIfOtherOrder(_comparer, value.Comparer, nameof(ORMap<TKey, TValue>));
        CausalityEncoding.WriteContext(writer, value.Context);
        writer.WriteCount(value.Count);
        SortedTree<TKey, ORMapSlot>.Enumerator entries = value.GetEntryEnumerator();
        while (entries.MoveNext())
        {
            writer.Write(entries.CurrentKey, _key);
            var slot = (ORMapSlot<TValue>)entries.CurrentValue;
            writer.WriteCount(slot.Dots.Length);
            for (int i = 0; i < slot.Dots.Length; i++)
            {
                Dot dot = slot.Dots[i];
                writer.WriteReplica(dot.Replica);
                writer.WriteVarUInt64((ulong)dot.Counter);
                writer.WriteVarUInt64((ulong)(dot.Counter - slot.Incarnations[i]));
                writer.Write(slot.Values[i], _value);
            }
        }
    }

    public override ORMap<TKey, TValue> Decode(ref CrdtReader reader)
    {
        CausalContext context = CausalityEncoding.ReadContext(ref reader);

        // A key takes at least 6 bytes: the key (1), an update count (1) and one update (dot 2, incarnation 1, value 1).
        int count = reader.ReadCount(minimumBytesPerElement: 6);

        // Keys and slots are read straight into the leaves of a bottom-up build (the count is checked against the
        // input, so the leaves are too); the dots are collected, checked against the context by table index, and
        // sorted into the dot index, which proves that no dot keeps two keys alive (as the OR-set decoder does).
        int leafCount = SortedTree<TKey, ORMapSlot>.LeafCountFor(count);
        var leaves = new List<SortedTree<TKey, ORMapSlot>.Node>(leafCount);
        var leafKeys = new TKey[leafCount][];
        using var collected = new DecodedDots(context, reader.ReplicaCount, "map keys", "update");
        TKey previous = default!;
        int begin = 0;
        for (int leaf = 0; leaf < leafCount; leaf++)
        {
            int end = SortedTree<TKey, ORMapSlot>.LeafEnd(count, leafCount, leaf);
            var keys = new TKey[end - begin];
            var slots = new ORMapSlot[end - begin];
            for (int k = 0; k < keys.Length; k++)
            {
                TKey key = ReadKey(ref reader, begin + k, previous);
                keys[k] = key;
                previous = key;
                slots[k] = ReadSlot(ref reader, key, collected, DecodedDots.Position(leaf, k));
            }

            leaves.Add(new SortedTree<TKey, ORMapSlot>.Leaf(keys, slots));
            leafKeys[leaf] = keys;
            begin = end;
        }

        SortedTree<Dot, TKey> index = collected.BuildIndex(ref reader, leafKeys);
        return ORMap<TKey, TValue>.FromTrees(SortedTree<TKey, ORMapSlot>.FromNodes(_comparer, leaves), index, context);
    }

    private TKey ReadKey(ref CrdtReader reader, int i, TKey previous)
    {
        int start = reader.Position;
        TKey key = reader.Read(_key);
        if (key is null)
        {
            throw CrdtReader.Error("A map key must not be null.", start);
        }

        if (i > 0 && SortedTree<TKey, ORMapSlot>.CompareKeys(_comparer, previous, key) >= 0)
        {
            throw CrdtReader.Error($"Map keys must be in strictly ascending order; '{key}' follows '{previous}'.", start);
        }

        return key;
    }

    private ORMapSlot ReadSlot(ref CrdtReader reader, TKey key, DecodedDots collected, int position)
    {
        int updates = reader.ReadCount(minimumBytesPerElement: 4);
        if (updates == 0)
        {
            throw reader.Error($"Map key '{key}' has no updates; a key needs at least one update that keeps it alive.");
        }

        // One update (almost every key): its slot holds the incarnation and the value inline.
        var dots = new Dot[updates];
        long[]? incarnations = updates == 1 ? null : new long[updates];
        TValue[]? values = updates == 1 ? null : new TValue[updates];
        long incarnation = 0;
        TValue single = null!;
        for (int j = 0; j < updates; j++)
        {
            int dotStart = reader.Position;
            var dot = new Dot(reader.ReadReplica(out int replicaIndex), reader.ReadCounter(), trusted: true);
            if (j > 0 && dot.CompareTo(dots[j - 1]) <= 0)
            {
                throw CrdtReader.Error($"The dots of map key '{key}' must be in strictly ascending order; {dot} follows {dots[j - 1]}.", dotStart);
            }

            if (!collected.InContext(replicaIndex, dot.Replica, dot.Counter))
            {
                throw CrdtReader.Error($"Map key '{key}' has dot {dot}, which the map's causal context does not contain.", dotStart);
            }

            collected.Add(replicaIndex, dot.Counter, position, dotStart);
            int incarnationAt = reader.Position;
            ulong below = reader.ReadVarUInt64();
            if (below >= (ulong)dot.Counter)
            {
                throw CrdtReader.Error($"The incarnation of dot {dot} lies {below} below its counter; it must be between 1 and the counter.", incarnationAt);
            }

            int valueAt = reader.Position;
            TValue value = reader.Read(_value);
            if (value is null)
            {
                throw CrdtReader.Error("A map value must not be null.", valueAt);
            }

            dots[j] = dot;
            incarnation = dot.Counter - (long)below;
            single = value;
            if (incarnations is not null)
            {
                incarnations[j] = incarnation;
                values![j] = value;
            }
        }

        return incarnations is null ? ORMapSlot<TValue>.Single(dots, incarnation, single) : ORMap<TKey, TValue>.CreateSlot(dots, incarnations, values!);
    }
}
