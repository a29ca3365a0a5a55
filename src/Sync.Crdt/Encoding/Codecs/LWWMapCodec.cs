using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// LWWMap&lt;TKey,TValue&gt;: the entry count, then per key (tombstones included) in ascending key order: the key,
/// a kind byte (0 = put, 1 = delete, 2 = put of a null value), the timestamp (time, replica index) and, for kind 0,
/// the value.
/// </summary>
internal sealed class LWWMapCodec<TKey, TValue> : GenericCodec<LWWMap<TKey, TValue>>
    where TKey : notnull
{
    private const byte Put = 0;
    private const byte Delete = 1;
    private const byte PutNull = 2;

    private readonly ICrdtValueCodec<TKey> _key;
    private readonly ICrdtValueCodec<TValue> _value;
    private readonly IComparer<TKey> _comparer;

    public LWWMapCodec(ICrdtValueCodec<TKey> key, ICrdtValueCodec<TValue> value, IComparer<TKey> comparer)
        : base(CrdtTypeTags.LWWMap, key, value)
    {
        _key = key;
        _value = value;
        _comparer = comparer;
    }

    public LWWMapCodec(CrdtSerializerOptions options)
        : this(options.GetCodec<TKey>(), options.GetCodec<TValue>(), OrderedCodecs.DefaultOrder<TKey>(nameof(LWWMap<TKey, TValue>)))
    {
    }

    public override void Encode(CrdtWriter writer, LWWMap<TKey, TValue> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        OrderedCodecs.ThrowIfOtherOrder(_comparer, value.Comparer, nameof(LWWMap<TKey, TValue>));
        writer.WriteCount(value.Count + value.TombstoneCount);

        // Built-in string keys and values are written straight as strings (what their codec does), one level deep.
        bool direct = writer.CanNest;
        bool stringKeys = direct && typeof(TKey) == typeof(string) && ReferenceEquals(_key, StringCodec.Instance);
        bool stringValues = direct && typeof(TValue) == typeof(string) && ReferenceEquals(_value, StringCodec.Instance);
        var leaves = new SortedTree<TKey, LWWWrite>.LeafCursor(value.EntryTree.Root);
        while (leaves.Leaf is { } leaf)
        {
            EncodeLeaf(writer, leaf.Keys, leaf.Values, stringKeys, stringValues);
            leaves.MoveNextLeaf();
        }
    }

    private void EncodeLeaf(CrdtWriter writer, TKey[] keys, LWWWrite[] writes, bool stringKeys, bool stringValues)
    {
        for (int i = 0; i < keys.Length && i < writes.Length; i++)
        {
            TKey key = keys[i];
            if (stringKeys)
            {
                writer.WriteString(Unsafe.As<TKey, string>(ref key));
            }
            else
            {
                writer.Write(key, _key);
            }

            LWWEntry<TValue> entry = LWWEntry<TValue>.Of(writes[i]);
            TValue written = entry.Value;
            bool isNull = !entry.IsDeleted && written is null;
            LWWTimestamp timestamp = entry.Timestamp;
            writer.WriteVarUInt64Triple(entry.IsDeleted ? Delete : isNull ? PutNull : Put, (ulong)timestamp.Time, (uint)writer.InternReplica(timestamp.Replica));
            if (entry.IsDeleted || isNull)
            {
                continue;
            }

            if (stringValues)
            {
                writer.WriteString(Unsafe.As<TValue, string>(ref written));
            }
            else
            {
                writer.Write(written, _value);
            }
        }
    }

    public override LWWMap<TKey, TValue> Decode(ref CrdtReader reader)
    {
        // An entry takes at least 4 bytes: key (1), kind (1), time (1), replica (1).
        int count = reader.ReadCount(minimumBytesPerElement: 4);

        // Entries are read straight into the leaves of a bottom-up build (the count is checked against the input, so
        // the leaves are too): no array of the whole input is allocated and copied.
        int leafCount = SortedTree<TKey, LWWWrite>.LeafCountFor(count);
        var leaves = new List<SortedTree<TKey, LWWWrite>.Node>(leafCount);
        TKey previous = default!;
        int live = 0;
        int start = 0;
        for (int leaf = 0; leaf < leafCount; leaf++)
        {
            int end = SortedTree<TKey, LWWWrite>.LeafEnd(count, leafCount, leaf);
            var keys = new TKey[end - start];
            var writes = new LWWWrite[end - start];
            for (int k = 0; k < keys.Length; k++)
            {
                TKey key = ReadKey(ref reader, start + k, previous);
                keys[k] = key;
                previous = key;
                writes[k] = ReadWrite(ref reader, ref live);
            }

            leaves.Add(new SortedTree<TKey, LWWWrite>.Leaf(keys, writes));
            start = end;
        }

        return LWWMap<TKey, TValue>.FromTrusted(SortedTree<TKey, LWWWrite>.FromNodes(_comparer, leaves), live);
    }

    private TKey ReadKey(ref CrdtReader reader, int i, TKey previous)
    {
        int start = reader.Position;
        TKey key = reader.Read(_key);
        if (key is null)
        {
            throw CrdtReader.Error("A map key must not be null.", start);
        }

        if (i > 0 && SortedTree<TKey, LWWWrite>.CompareKeys(_comparer, previous, key) >= 0)
        {
            throw CrdtReader.Error($"Map keys must be in strictly ascending order; '{key}' follows '{previous}'.", start);
        }

        return key;
    }

    private LWWEntry<TValue> ReadWrite(ref CrdtReader reader, ref int live)
    {
        int kindAt = reader.Position;
        byte kind = reader.ReadByte();
        if (kind > PutNull || (kind == PutNull && default(TValue) is not null))
        {
            throw CrdtReader.Error($"Map entry kind {kind} is invalid (0 = put, 1 = delete{(default(TValue) is null ? ", 2 = put null" : string.Empty)}).", kindAt);
        }

        LWWTimestamp timestamp = CausalityEncoding.ReadTimestamp(ref reader);
        TValue value = default!;
        if (kind == Put)
        {
            int valueAt = reader.Position;
            value = reader.Read(_value);
            if (value is null)
            {
                throw CrdtReader.Error("A null map value must be written with entry kind 2.", valueAt);
            }
        }

        live += kind == Delete ? 0 : 1;
        return new LWWEntry<TValue>(timestamp, kind == Delete, value);
    }
}
