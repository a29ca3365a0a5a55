using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// Decoded values of one update share what they can (one-entry vectors a counters array, one-update OR-map slots no
/// arrays at all): operations on such values, and on values decoded from the same bytes, stay independent.
/// </summary>
public class OneUpdateDecodeTests
{
    private static readonly DeltaMutator<GCounter> Increment = static (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 1, out d);

    [Fact]
    public void OneEntryCounters_DecodedTwice_IncrementIndependently()
    {
        byte[] bytes = CrdtSerializer.SerializeToBytes(GCounter.Empty.Increment("a"));
        GCounter first = CrdtSerializer.Deserialize<GCounter>(bytes);
        GCounter second = CrdtSerializer.Deserialize<GCounter>(bytes);
        GCounter other = CrdtSerializer.Deserialize<GCounter>(CrdtSerializer.SerializeToBytes(GCounter.Empty.Increment("b")));

        GCounter incremented = first.Increment("a").Increment("a");
        Assert.Equal(3, incremented.Value);
        Assert.Equal(1, first.Value);
        Assert.Equal(1, second.Value);
        Assert.Equal(1, other.Value);
        Assert.Equal(2, first.Merge(other).Value);
        Assert.Equal(1, CrdtSerializer.Deserialize<GCounter>(bytes).Counts[new ReplicaId("a")]);
    }

    [Fact]
    public void OneUpdateSlots_DecodeUpdateMergeAndEncodeLikeTheOriginal()
    {
        ORMap<string, GCounter> map = ORMap<string, GCounter>.Empty;
        for (int i = 0; i < 40; i++)
        {
            map = map.Update(i % 2 == 0 ? "a" : "b", "k" + (i % 20).ToString(System.Globalization.CultureInfo.InvariantCulture), Increment);
        }

        map = map.Remove("k3");
        ORMap<string, GCounter> concurrent = ORMap<string, GCounter>.Empty.Update("c", "k4", Increment).Update("c", "k99", Increment);

        byte[] bytes = CrdtSerializer.SerializeToBytes(map);
        ORMap<string, GCounter> decoded = CrdtSerializer.Deserialize<ORMap<string, GCounter>>(bytes);
        Assert.Equal(map, decoded);
        Assert.Equal(bytes, CrdtSerializer.SerializeToBytes(decoded));

        // A key of one update merged with a concurrent update (two dots), and back to one after a remove.
        ORMap<string, GCounter> merged = decoded.Merge(CrdtSerializer.Deserialize<ORMap<string, GCounter>>(CrdtSerializer.SerializeToBytes(concurrent)));
        Assert.Equal(map.Merge(concurrent), merged);
        Assert.Equal(map["k4"].Value + 1, merged["k4"].Value);
        Assert.Equal(2, merged.EnumerateEntries().Count(e => e.Key == "k4"));
        ORMap<string, GCounter> updated = merged.Update("a", "k4", Increment).Update("a", "k5", Increment);
        Assert.Equal(merged["k5"].Value + 1, updated["k5"].Value);
        Assert.Equal(map["k5"].Value, decoded["k5"].Value);
        Assert.Equal(updated, CrdtSerializer.Deserialize<ORMap<string, GCounter>>(CrdtSerializer.SerializeToBytes(updated)));
    }
}
