using System;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// DateTimeOffset: the UTC instant in 100 ns ticks since 0001-01-01T00:00Z (varint), then the offset in whole
/// minutes (zigzag varint, -840 to 840). The offset is kept, so a value round-trips exactly.
/// </summary>
internal sealed class DateTimeOffsetCodec : ScalarCodec<DateTimeOffset>
{
    public static readonly DateTimeOffsetCodec Instance = new();

    private const long MaxOffsetMinutes = 14 * 60;

    private DateTimeOffsetCodec()
        : base(CrdtTypeTags.DateTimeOffset)
    {
    }

    public override void Encode(CrdtWriter writer, DateTimeOffset value)
    {
        writer.WriteVarUInt64((ulong)value.UtcTicks);
        writer.WriteVarInt64((long)value.Offset.TotalMinutes);
    }

    public override DateTimeOffset Decode(ref CrdtReader reader)
    {
        int start = reader.Position;
        long utcTicks = (long)reader.ReadVarUInt64((ulong)DateTimeOffset.MaxValue.UtcTicks, "A UTC tick count");
        long minutes = reader.ReadVarInt64(-MaxOffsetMinutes, MaxOffsetMinutes, "A UTC offset in minutes");
        long localTicks = utcTicks + (minutes * TimeSpan.TicksPerMinute);
        if (localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks)
        {
            throw CrdtReader.Error("The date and offset give a local time outside the DateTimeOffset range.", start);
        }

        return new DateTimeOffset(localTicks, TimeSpan.FromMinutes(minutes));
    }
}
