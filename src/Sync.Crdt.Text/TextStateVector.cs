using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <summary>
/// The byte encoding of a text document's state vector (<see cref="TextDocument.StateVector"/>), which a peer sends so that
/// the other side can answer with <see cref="TextDocument.EncodeStateAsUpdate"/> (only what the peer lacks).
/// </summary>
/// <remarks>
/// Format (docs/text.md): a format byte 1, a LEB128 count, then per replica its UTF-8 id (LEB128 length, 1..1024 bytes)
/// and its clock (LEB128, 1..2³¹-1), replicas in ordinal order, each at most once. Decoding validates everything and throws
/// only <see cref="CrdtFormatException"/>. Thread-safe (stateless).
/// </remarks>
public static class TextStateVector
{
    private const byte Format = 1;

    /// <summary>Encodes a state vector. O(replicas).</summary>
    /// <param name="stateVector">The vector; counters above <see cref="int.MaxValue"/> are not valid text clocks.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stateVector"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A counter exceeds <see cref="int.MaxValue"/>.</exception>
    public static byte[] Encode(VersionVector stateVector)
    {
        ArgumentNullException.ThrowIfNull(stateVector);
        var writer = new ByteWriter(8 + (stateVector.Count * 16));
        writer.WriteByte(Format);
        writer.WriteCount(stateVector.Count);
        foreach (Dot dot in stateVector)
        {
            if (dot.Counter > int.MaxValue)
            {
                throw new ArgumentException($"Replica {dot.Replica} has clock {dot.Counter}, above the text limit of int.MaxValue.", nameof(stateVector));
            }

            byte[] id = System.Text.Encoding.UTF8.GetBytes(dot.Replica.Value);
            writer.WriteCount(id.Length);
            writer.WriteBytes(id);
            writer.WriteCount((int)dot.Counter);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a state vector written by <see cref="Encode"/>. O(bytes).</summary>
    /// <param name="bytes">The encoded vector.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="CrdtFormatException">The bytes are not a valid encoding.</exception>
    public static VersionVector Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ByteReader(bytes);
        byte format = reader.ReadByte();
        if (format != Format)
        {
            throw new CrdtFormatException($"Unknown state vector format {format}.", 0);
        }

        int count = reader.ReadBoundedCount("replica count", 3);
        var dots = new List<Dot>(count);
        var seen = new HashSet<ReplicaId>();
        for (int i = 0; i < count; i++)
        {
            int at = reader.Position;
            int length = reader.ReadCount("replica id length");
            if (length == 0 || length > ReplicaId.MaxLength * 4)
            {
                throw new CrdtFormatException("A replica id has an invalid length.", at);
            }

            ReplicaId replica = UpdateDecoder.ReadReplicaId(reader.ReadBytes(length), at);
            int clock = reader.ReadCount("clock");
            if (clock == 0 || !seen.Add(replica))
            {
                throw new CrdtFormatException("A state vector entry has clock 0 or repeats a replica.", at);
            }

            dots.Add(new Dot(replica, clock));
        }

        reader.ExpectEnd();
        return VersionVector.Create(dots);
    }
}
