using System;
using System.Buffers;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>
/// How one CRDT type is written inside replication messages: a numeric tag that names the type on the wire and
/// a writer/reader pair for its values (typically the type's binary codec from <c>Sync.Crdt.Encoding</c>).
/// Register one per replicated type with <see cref="ReplicationMessageCodec"/>.
/// </summary>
/// <remarks>Immutable and thread-safe when the writer and reader are.</remarks>
[Immutable]
public abstract class ReplicatedValueFormat
{
    private protected ReplicatedValueFormat(int tag, Type valueType)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tag);
        Tag = tag;
        ValueType = valueType;
    }

    /// <summary>Gets the tag that names the type on the wire (non-negative, unique within a codec).</summary>
    public int Tag { get; }

    /// <summary>Gets the CRDT type this format writes.</summary>
    public Type ValueType { get; }

    /// <summary>Creates a format from a writer and a reader.</summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <param name="tag">The tag that names the type on the wire; every replica must use the same tag for it.</param>
    /// <param name="write">Writes one value.</param>
    /// <param name="read">Reads one value from exactly the bytes <paramref name="write"/> produced; throws
    /// <see cref="Sync.Crdt.Encoding.CrdtFormatException"/> on malformed input.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> or <paramref name="read"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tag"/> is negative.</exception>
    public static ReplicatedValueFormat Create<T>(int tag, Action<T, IBufferWriter<byte>> write, ReplicatedValueReader<T> read)
        where T : class, IMergeable<T> => new ReplicatedValueFormat<T>(tag, write, read);

    /// <summary>Writes a value of <see cref="ValueType"/>.</summary>
    internal abstract void Write(ReplicatedValue value, IBufferWriter<byte> output);

    /// <summary>Reads a value; the result's type is <see cref="ValueType"/>.</summary>
    internal abstract ReplicatedValue Read(ReadOnlySpan<byte> data);
}
