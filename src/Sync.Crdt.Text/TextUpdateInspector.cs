using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <summary>Reads what an encoded <see cref="TextUpdate"/> inserts without applying it, so a server can check who an
/// update speaks for before it changes anything.</summary>
/// <remarks>Stateless and thread-safe. Decoding validates the whole update exactly as
/// <see cref="TextDocument.ApplyUpdate(ReadOnlySpan{byte})"/> does; O(update size).</remarks>
public static class TextUpdateInspector
{
    /// <summary>
    /// Returns, for every replica whose items the update carries, the end of its highest item: one past the last clock
    /// (the same unit as <see cref="TextDocument.StateVector"/>). An update only carries items of replica <c>r</c> that
    /// a document whose state vector already reaches this extent for <c>r</c> holds.
    /// </summary>
    /// <param name="update">The encoded update.</param>
    /// <returns>The extent per inserting replica (empty for an update that only deletes).</returns>
    /// <exception cref="CrdtFormatException">The update is malformed; nothing was allocated from an unchecked length.</exception>
    public static VersionVector GetInsertedExtent(ReadOnlySpan<byte> update)
    {
        DecodedUpdate decoded = UpdateDecoder.Decode(update);
        try
        {
            var ends = new long[decoded.Replicas.Length];
            for (int i = 0; i < decoded.ItemCount; i++)
            {
                RemoteItem item = decoded.Items[i];
                ends[item.Client] = Math.Max(ends[item.Client], (long)item.Clock + item.Length);
            }

            var dots = new List<Dot>(ends.Length);
            for (int r = 0; r < ends.Length; r++)
            {
                if (ends[r] > 0)
                {
                    dots.Add(new Dot(decoded.Replicas[r], ends[r]));
                }
            }

            return VersionVector.Create(dots);
        }
        finally
        {
            decoded.Release();
        }
    }
}
