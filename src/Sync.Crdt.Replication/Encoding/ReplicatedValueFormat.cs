using System;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>
/// How values of one CRDT type travel inside replication messages: the type's <see cref="ICrdtValueCodec{T}"/>
/// from <c>Sync.Crdt.Encoding</c> (for example <c>CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.String)</c>),
/// whose type signature names the type on the wire. Register one per replicated type with
/// <see cref="ReplicationSerializer"/>.
/// </summary>
/// <remarks>Immutable and thread-safe when the codec is (every built-in codec is).</remarks>
[Immutable]
public abstract class ReplicatedValueFormat
{
    private const int MaxSignatureBytes = 64;

    private protected ReplicatedValueFormat(Type valueType, ICrdtCodec codec)
    {
        ValueType = valueType;
        Signature = ComputeSignature(codec);
    }

    /// <summary>Gets the CRDT type this format writes.</summary>
    public Type ValueType { get; }

    /// <summary>Gets the type signature written before each value: the codec's type tags in pre-order, as varints (docs/wire-format.md §2).</summary>
    internal byte[] Signature { get; }

    /// <summary>Creates a format from a codec.</summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <param name="codec">The type's binary codec.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The codec's type signature is invalid (a tag below 1) or longer than 64 bytes.</exception>
    public static ReplicatedValueFormat Create<T>(ICrdtValueCodec<T> codec)
        where T : class, IMergeable<T> => new ReplicatedValueFormat<T>(codec);

    /// <summary>Writes a value of <see cref="ValueType"/> into the message being written.</summary>
    internal abstract void Write(CrdtWriter writer, ReplicatedValue value);

    /// <summary>Reads a value; the result's type is <see cref="ValueType"/>.</summary>
    internal abstract ReplicatedValue Read(ref CrdtReader reader);

    private static byte[] ComputeSignature(ICrdtCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        var bytes = new List<byte>();
        Append(codec, bytes, 0);
        return [.. bytes];
    }

    private static void Append(ICrdtCodec codec, List<byte> bytes, int depth)
    {
        if (codec.TypeTag < 1 || depth > 16 || bytes.Count > MaxSignatureBytes - 5)
        {
            throw new ArgumentException($"The type signature of {codec.GetType().Name} is invalid or longer than {MaxSignatureBytes} bytes.", nameof(codec));
        }

        ulong tag = (ulong)codec.TypeTag;
        while (tag >= 0x80)
        {
            bytes.Add((byte)(tag | 0x80));
            tag >>= 7;
        }

        bytes.Add((byte)tag);
        foreach (ICrdtCodec argument in codec.TypeArguments)
        {
            Append(argument, bytes, depth + 1);
        }
    }
}
