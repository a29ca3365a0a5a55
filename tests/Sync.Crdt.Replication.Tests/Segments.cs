using System;
using System.Buffers;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as pipes and WebSocket readers deliver them.</summary>
public static class Segments
{
    /// <summary>A sequence of the given parts, one segment each (empty parts included).</summary>
    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        Segment first = new(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>A sequence with one segment per byte.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) =>
        bytes.Length == 0 ? ReadOnlySequence<byte>.Empty : Of(Array.ConvertAll(bytes, b => new[] { b }));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
