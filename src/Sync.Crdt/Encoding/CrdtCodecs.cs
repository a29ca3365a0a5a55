using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding.Codecs;
using System.Collections.Generic;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Encoding;

/// <summary>
/// The built-in binary codecs, for composing codecs explicitly (for example an application codec that embeds a
/// version vector, or a replication message that embeds a delta). Every codec here is immutable and
/// thread-safe; their layouts are specified in docs/wire-format.md.
/// </summary>
public static class CrdtCodecs
{
    /// <summary>Gets the codec for <see cref="string"/> (varint UTF-8 byte length, then the bytes; rejects <see langword="null"/>).</summary>
    public static ICrdtValueCodec<string> String => StringCodec.Instance;

    /// <summary>Gets the codec for <see cref="bool"/> (one byte, 0 or 1).</summary>
    public static ICrdtValueCodec<bool> Boolean => BooleanCodec.Instance;

    /// <summary>Gets the codec for <see cref="sbyte"/> (zigzag varint).</summary>
    public static ICrdtValueCodec<sbyte> SByte => SByteCodec.Instance;

    /// <summary>Gets the codec for <see cref="byte"/> (varint).</summary>
    public static ICrdtValueCodec<byte> Byte => ByteCodec.Instance;

    /// <summary>Gets the codec for <see cref="short"/> (zigzag varint).</summary>
    public static ICrdtValueCodec<short> Int16 => Int16Codec.Instance;

    /// <summary>Gets the codec for <see cref="ushort"/> (varint).</summary>
    public static ICrdtValueCodec<ushort> UInt16 => UInt16Codec.Instance;

    /// <summary>Gets the codec for <see cref="int"/> (zigzag varint).</summary>
    public static ICrdtValueCodec<int> Int32 => Int32Codec.Instance;

    /// <summary>Gets the codec for <see cref="uint"/> (varint).</summary>
    public static ICrdtValueCodec<uint> UInt32 => UInt32Codec.Instance;

    /// <summary>Gets the codec for <see cref="long"/> (zigzag varint).</summary>
    public static ICrdtValueCodec<long> Int64 => Int64Codec.Instance;

    /// <summary>Gets the codec for <see cref="ulong"/> (varint).</summary>
    public static ICrdtValueCodec<ulong> UInt64 => UInt64Codec.Instance;

    /// <summary>Gets the codec for <see cref="System.Guid"/> (16 bytes, RFC 9562 big-endian order).</summary>
    public static ICrdtValueCodec<System.Guid> Guid => GuidCodec.Instance;

    /// <summary>Gets the codec for <see cref="double"/> (8 bytes little-endian; NaN canonicalized).</summary>
    public static ICrdtValueCodec<double> Double => DoubleCodec.Instance;

    /// <summary>Gets the codec for <see cref="T:byte[]"/> (varint length, then the bytes; rejects <see langword="null"/>).</summary>
    public static ICrdtValueCodec<byte[]> ByteArray => ByteArrayCodec.Instance;

    /// <summary>Gets the codec for <see cref="System.DateTimeOffset"/> (UTC ticks varint, offset minutes zigzag varint).</summary>
    public static ICrdtValueCodec<System.DateTimeOffset> DateTimeOffset => DateTimeOffsetCodec.Instance;

    /// <summary>Gets the codec for <see cref="Causality.ReplicaId"/> (an index into the message's replica table).</summary>
    public static ICrdtValueCodec<ReplicaId> ReplicaId => ReplicaIdCodec.Instance;

    /// <summary>Gets the codec for <see cref="Causality.Dot"/> (replica index, counter).</summary>
    public static ICrdtValueCodec<Dot> Dot => DotCodec.Instance;

    /// <summary>Gets the codec for <see cref="Causality.VersionVector"/> (count, then replica index and counter per entry in replica order).</summary>
    public static ICrdtValueCodec<VersionVector> VersionVector => VersionVectorCodec.Instance;

    /// <summary>Gets the codec for <see cref="Causality.CausalContext"/> (its version vector, then the sorted dot cloud).</summary>
    public static ICrdtValueCodec<CausalContext> CausalContext => CausalContextCodec.Instance;

    /// <summary>Gets the codec for <see cref="Causality.LWWTimestamp"/> (time varint, replica index).</summary>
    public static ICrdtValueCodec<LWWTimestamp> LWWTimestamp => LWWTimestampCodec.Instance;

    /// <summary>Gets the codec for <see cref="Counters.GCounter"/> (its counts as a version vector body).</summary>
    public static ICrdtValueCodec<GCounter> GCounter => GCounterCodec.Instance;

    /// <summary>Gets the codec for <see cref="Counters.PNCounter"/> (increments' counts, then decrements' counts).</summary>
    public static ICrdtValueCodec<PNCounter> PNCounter => PNCounterCodec.Instance;

    /// <summary>
    /// Returns the codec of the CRDT type <typeparamref name="T"/> (<see cref="ICrdt{TSelf}.CreateCodec"/>), with its
    /// elements, keys and values encoded by the codecs <paramref name="options"/> give their types. No reflection:
    /// this is the way to a CRDT's codec under trimming and native AOT.
    /// </summary>
    /// <typeparam name="T">The CRDT type, for example <c>ORSet&lt;string&gt;</c>.</typeparam>
    /// <param name="options">The options whose codecs encode the elements; <see langword="null"/> for
    /// <see cref="CrdtSerializerOptions.Default"/> (that codec is created once and cached).</param>
    /// <returns>The codec.</returns>
    /// <exception cref="NotSupportedException">An element, key or value type has no codec in the options, or has no
    /// default order where the type needs one.</exception>
    public static ICrdtValueCodec<T> For<T>(CrdtSerializerOptions? options = null)
        where T : class, ICrdt<T> =>
        options is null || ReferenceEquals(options, CrdtSerializerOptions.Default)
            ? DefaultCodec<T>.Get()
            : T.CreateCodec(options);

    /// <summary>Creates the codec for <see cref="Nullable{T}"/> (presence byte, then the value).</summary>
    /// <typeparam name="T">The underlying value type.</typeparam>
    /// <param name="value">The codec of the underlying value.</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static ICrdtValueCodec<T?> Nullable<T>(ICrdtValueCodec<T> value)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(value);
        return new NullableCodec<T>(value);
    }

    /// <summary>Creates the codec for <see cref="LWWRegister{T}"/> (state byte, timestamp, value).</summary>
    /// <typeparam name="T">The register's value type.</typeparam>
    /// <param name="value">The codec of the register's value.</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static ICrdtValueCodec<LWWRegister<T>> LWWRegister<T>(ICrdtValueCodec<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new LWWRegisterCodec<T>(value);
    }

    /// <summary>Creates the codec for <see cref="MVRegister{T}"/> (causal context, then siblings in dot order).</summary>
    /// <typeparam name="T">The register's value type.</typeparam>
    /// <param name="value">The codec of the register's values.</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static ICrdtValueCodec<MVRegister<T>> MVRegister<T>(ICrdtValueCodec<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new MVRegisterCodec<T>(value);
    }

    /// <summary>Creates the codec for <see cref="ORSet{T}"/> (causal context, then elements in the set's order with their dots).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="element">The codec of the elements.</param>
    /// <param name="comparer">The sets' element order; <see langword="null"/> for the default order of <typeparamref name="T"/>.
    /// Encoding a set with another order throws <see cref="ArgumentException"/>; decoded sets have this order.</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="element"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException"><paramref name="comparer"/> is <see langword="null"/> and <typeparamref name="T"/> has no default order.</exception>
    public static ICrdtValueCodec<ORSet<T>> ORSet<T>(ICrdtValueCodec<T> element, IComparer<T>? comparer = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(element);
        return new ORSetCodec<T>(element, comparer ?? OrderedCodecs.DefaultOrder<T>(nameof(ORSet)));
    }

    /// <summary>Creates the codec for <see cref="LWWMap{TKey, TValue}"/> (entries in key order: key, kind, timestamp, value).</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <param name="key">The codec of the keys.</param>
    /// <param name="value">The codec of the values.</param>
    /// <param name="comparer">The maps' key order; <see langword="null"/> for the default order of <typeparamref name="TKey"/>.
    /// Encoding a map with another order throws <see cref="ArgumentException"/>; decoded maps have this order.</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException"><paramref name="comparer"/> is <see langword="null"/> and <typeparamref name="TKey"/> has no default order.</exception>
    public static ICrdtValueCodec<LWWMap<TKey, TValue>> LWWMap<TKey, TValue>(ICrdtValueCodec<TKey> key, ICrdtValueCodec<TValue> value, IComparer<TKey>? comparer = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return new LWWMapCodec<TKey, TValue>(key, value, comparer ?? OrderedCodecs.DefaultOrder<TKey>(nameof(LWWMap)));
    }

    /// <summary>Creates the codec for <see cref="ORMap{TKey, TValue}"/> (causal context, then keys in the map's order with their updates' dots, incarnations and nested values).</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The nested CRDT type.</typeparam>
    /// <param name="key">The codec of the keys.</param>
    /// <param name="value">The codec of the nested values, for example <c>CrdtCodecs.For&lt;GCounter&gt;()</c>.</param>
    /// <param name="comparer">The maps' key order; <see langword="null"/> for the default order of <typeparamref name="TKey"/>.
    /// Encoding a map with another order throws <see cref="ArgumentException"/>; decoded maps have this order.</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException"><paramref name="comparer"/> is <see langword="null"/> and <typeparamref name="TKey"/> has no default order.</exception>
    public static ICrdtValueCodec<ORMap<TKey, TValue>> ORMap<TKey, TValue>(ICrdtValueCodec<TKey> key, ICrdtValueCodec<TValue> value, IComparer<TKey>? comparer = null)
        where TKey : notnull
        where TValue : class, ICrdt<TValue>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return new ORMapCodec<TKey, TValue>(key, value, comparer ?? OrderedCodecs.DefaultOrder<TKey>(nameof(ORMap)));
    }
}
