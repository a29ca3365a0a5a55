using System;
using System.Collections.Generic;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// One golden vector: a named value whose encoding is pinned in <c>Golden/v&lt;version&gt;/&lt;name&gt;.hex</c>.
/// The delegates erase the value's type so the golden and fuzz tests can treat all samples alike.
/// </summary>
internal sealed class GoldenSample
{
    private GoldenSample(string name, string description, Func<byte[]> encode, Func<byte[], bool> decodesToValue, Func<byte[], byte[]> reencode, bool canonical, Func<int> size)
    {
        Size = size;
        Name = name;
        Description = description;
        Encode = encode;
        DecodesToValue = decodesToValue;
        Reencode = reencode;
        Canonical = canonical;
    }

    public string Name { get; }

    /// <summary>A human-readable description of the value, written as a comment line in the golden file.</summary>
    public string Description { get; }

    /// <summary>Encodes the sample value.</summary>
    public Func<byte[]> Encode { get; }

    /// <summary>Measures the sample value's encoding without producing it (<see cref="CrdtSerializer.GetSerializedSize{T}(T, CrdtSerializerOptions?)"/>).</summary>
    public Func<int> Size { get; }

    /// <summary>Decodes bytes and tells whether they give the sample value.</summary>
    public Func<byte[], bool> DecodesToValue { get; }

    /// <summary>Decodes bytes as the sample's type and encodes the result again (throws what the decoder throws).</summary>
    public Func<byte[], byte[]> Reencode { get; }

    /// <summary>Gets a value indicating whether every accepted encoding of this type is canonical (re-encodes to the same bytes).</summary>
    public bool Canonical { get; }

    public static GoldenSample Create<T>(string name, T value, CrdtSerializerOptions? options = null, IEqualityComparer<T>? comparer = null, bool canonical = true)
    {
        comparer ??= EqualityComparer<T>.Default;
        return new GoldenSample(
            name,
            value?.ToString() ?? "null",
            () => CrdtSerializer.SerializeToBytes(value, options),
            bytes => comparer.Equals(CrdtSerializer.Deserialize<T>(bytes, options), value),
            bytes => CrdtSerializer.SerializeToBytes(CrdtSerializer.Deserialize<T>(bytes, options), options),
            canonical,
            () => CrdtSerializer.GetSerializedSize(value, options));
    }

    public override string ToString() => Name;
}
