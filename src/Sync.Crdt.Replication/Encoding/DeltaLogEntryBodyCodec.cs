using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>The body of a delta log entry inside a Sync.Crdt binary message (type tag <see cref="ReplicationSerializer.LogEntryTypeTag"/>).</summary>
internal sealed class DeltaLogEntryBodyCodec(ValueFormatTable formats) : ICrdtValueCodec<DeltaLogEntry>
{
    public int TypeTag => ReplicationSerializer.LogEntryTypeTag;

    public IReadOnlyList<ICrdtCodec> TypeArguments => [];

    public void Encode(CrdtWriter writer, DeltaLogEntry value)
    {
        writer.Write(value.From, CrdtCodecs.VersionVector);
        writer.Write(value.To, CrdtCodecs.VersionVector);
        formats.Write(writer, value.Deltas);
    }

    public DeltaLogEntry Decode(ref CrdtReader reader)
    {
        VersionVector from = reader.Read(CrdtCodecs.VersionVector);
        int toStart = reader.Position;
        VersionVector to = reader.Read(CrdtCodecs.VersionVector);
        if (!to.Dominates(from) || from.Dominates(to))
        {
            throw CrdtReader.Error($"A log entry must add events: {to} does not strictly dominate {from}.", toStart);
        }

        return DeltaLogEntry.FromCanonical(from, to, formats.Read(ref reader));
    }
}
