using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding.Json;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// The JSON readers' bulk paths (recently read property names and replica ids reused, sorting skipped for sorted
/// input, the string fast path, the sort-based dot-uniqueness check) read exactly what the general paths read.
/// </summary>
public class JsonBulkReadingTests
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().AddSyncCrdt();

    [Fact]
    public void LWWMap_EscapedNamesAndReplicas_ReadLikeTheirPlainForms()
    {
        // "k\u0065y" is "key", "r\u0065plica" is "replica"; the replica "\u0061" is "a", and "b" follows unescaped.
        const string Json = """
            {"entries":[
              {"key":"x","value":"1","timestamp":{"time":1,"replica":"a"}},
              {"k\u0065y":"y","value":"2","timestamp":{"time":2,"r\u0065plica":"\u0061"}},
              {"key":"z","value":"3","timestamp":{"time":3,"replica":"b"}},
              {"key":"zz","deleted":true,"timestamp":{"time":4,"replica":"a"}}
            ]}
            """;
        LWWMap<string, string> map = JsonSerializer.Deserialize<LWWMap<string, string>>(Json, Options)!;
        Assert.Equal(["x", "y", "z"], map.Select(e => e.Key).ToArray());
        Assert.Equal("2", map["y"]);
        Assert.True(map.TryGetEntry("y", out LWWMapEntry<string, string> y));
        Assert.Equal(new ReplicaId("a"), y.Timestamp.Replica);
        Assert.True(map.TryGetEntry("z", out LWWMapEntry<string, string> z));
        Assert.Equal(new ReplicaId("b"), z.Timestamp.Replica);
        Assert.Equal(1, map.TombstoneCount);
    }

    [Fact]
    public void LWWMap_UnsortedEntries_AreSortedAndDuplicateKeysRejected()
    {
        const string Unsorted = """{"entries":[{"key":"b","value":"2","timestamp":{"time":2,"replica":"r"}},{"key":"a","value":"1","timestamp":{"time":1,"replica":"r"}}]}""";
        LWWMap<string, string> map = JsonSerializer.Deserialize<LWWMap<string, string>>(Unsorted, Options)!;
        Assert.Equal(["a", "b"], map.Select(e => e.Key).ToArray());

        const string Duplicate = """{"entries":[{"key":"a","value":"1","timestamp":{"time":1,"replica":"r"}},{"key":"a","value":"2","timestamp":{"time":2,"replica":"r"}}]}""";
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LWWMap<string, string>>(Duplicate, Options));
    }

    [Fact]
    public void LWWMap_ManyReplicasBeyondTheCache_RoundTrips()
    {
        var clock = new LamportClock();
        LWWMap<string, string> map = LWWMap<string, string>.Empty;
        for (int i = 0; i < 200; i++)
        {
            map = map.Put("replica-" + (i % 23).ToString(System.Globalization.CultureInfo.InvariantCulture), "k" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), "v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), clock);
        }

        string json = JsonSerializer.Serialize(map, Options);
        LWWMap<string, string> back = JsonSerializer.Deserialize<LWWMap<string, string>>(json, Options)!;
        Assert.Equal(map, back);
        foreach (LWWMapEntry<string, string> entry in map.EnumerateEntries())
        {
            Assert.True(back.TryGetEntry(entry.Key, out LWWMapEntry<string, string> read));
            Assert.Equal(entry.Timestamp, read.Timestamp);
        }
    }

    [Fact]
    public void ORSet_DotOnTwoElements_IsRejected()
    {
        const string Json = """
            {"elements":[
              {"value":"x","dots":[{"replica":"a","counter":1}]},
              {"value":"y","dots":[{"replica":"b","counter":1},{"replica":"a","counter":1}]}
            ],"context":{"vector":{"a":1,"b":1},"cloud":[]}}
            """;
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ORSet<string>>(Json, Options));
        Assert.Contains("one element", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ORSet_ManyReplicasReAddsAndCloud_ReadsLikeThePartsPath()
    {
        // 30 replicas (beyond the reader's recent-id cache and its reference scan), re-adds (several dots per
        // element, out of ascending order per replica), removals, and dots held by the cloud only.
        var random = new Random(15);
        ORSet<string> set = ORSet<string>.Empty;
        for (int i = 0; i < 600; i++)
        {
            string replica = "r" + random.Next(30).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            string item = "e" + random.Next(250).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            set = random.Next(5) == 0 ? set.Remove(item) : set.Add(replica, item);
        }

        ORSet<string> concurrent = ORSet<string>.Empty.Add("r05", "e000").Add("r05", "zz");
        set = set.Merge(concurrent);
        var cloud = new Dot(new ReplicaId("r40"), 7);
        ORSet<string> withCloud = ORSet<string>.Create(
            [.. Index(set), new KeyValuePair<Dot, string>(cloud, "cloud-only")],
            set.Context.Add(cloud));
        Assert.Contains(cloud, withCloud.GetDots("cloud-only"));

        string json = JsonSerializer.Serialize(withCloud, Options);
        ORSet<string> back = JsonSerializer.Deserialize<ORSet<string>>(json, Options)!;
        Assert.Equal(withCloud, back);
        Assert.Equal(Index(withCloud), Index(back));
        Assert.Equal(withCloud.Context, back.Context);

        // The same set with its elements and every element's dots in reverse order reads the same.
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var elements = node["elements"]!.AsArray();
        var reversed = new System.Text.Json.Nodes.JsonArray();
        foreach (System.Text.Json.Nodes.JsonNode? element in elements.Reverse().ToArray())
        {
            elements.Remove(element);
            var dots = element!["dots"]!.AsArray();
            var reversedDots = new System.Text.Json.Nodes.JsonArray();
            foreach (System.Text.Json.Nodes.JsonNode? dot in dots.Reverse().ToArray())
            {
                dots.Remove(dot);
                reversedDots.Add(dot);
            }

            element["dots"] = reversedDots;
            reversed.Add(element);
        }

        node["elements"] = reversed;
        ORSet<string> shuffled = JsonSerializer.Deserialize<ORSet<string>>(node.ToJsonString(), Options)!;
        Assert.Equal(withCloud, shuffled);
        Assert.Equal(Index(withCloud), Index(shuffled));
    }

    [Theory]
    [InlineData("""{"elements":[{"value":"x","dots":[{"replica":"a","counter":1},{"replica":"a","counter":1}]}],"context":{"vector":{"a":1},"cloud":[]}}""", "strictly increasing")]
    [InlineData("""{"elements":[{"value":"y","dots":[{"replica":"a","counter":1}]},{"value":"x","dots":[{"replica":"a","counter":2}]},{"value":"y","dots":[{"replica":"a","counter":3}]}],"context":{"vector":{"a":3},"cloud":[]}}""", "strictly increasing")]
    [InlineData("""{"elements":[{"value":"x","dots":[{"replica":"a","counter":1}]},{"value":"y","dots":[{"replica":"\u0061","counter":1}]}],"context":{"vector":{"a":1},"cloud":[]}}""", "one element")]
    [InlineData("""{"elements":[{"value":"x","dots":[{"replica":"a","counter":2}]}],"context":{"vector":{"a":1},"cloud":[{"replica":"a","counter":3}]}}""", "context")]
    [InlineData("""{"elements":[{"value":"x","dots":[{"replica":"b","counter":1}]}],"context":{"vector":{"a":1},"cloud":[]}}""", "context")]
    [InlineData("""{"elements":[{"value":null,"dots":[{"replica":"a","counter":1}]}],"context":{"vector":{"a":1},"cloud":[]}}""", "value")]
    [InlineData("""{"context":{"vector":{"a":1},"cloud":[]},"elements":[{"value":"x","dots":[]}]}""", "at least one dot")]
    public void ORSet_BrokenInvariants_AreRejected(string json, string reason)
    {
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ORSet<string>>(json, Options));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ORSet_ContextBeforeElementsAndEmptySets_Read()
    {
        ORSet<string> set = JsonSerializer.Deserialize<ORSet<string>>("""{"context":{"vector":{"b":2,"a":1},"cloud":[]},"elements":[{"value":"x","dots":[{"replica":"b","counter":2},{"replica":"a","counter":1}]}]}""", Options)!;
        Assert.Equal(["x"], set.ToArray());
        Assert.Equal([new Dot(new ReplicaId("a"), 1), new Dot(new ReplicaId("b"), 2)], set.GetDots("x").ToArray());
        Assert.Equal(2, Index(set).Count);

        ORSet<string> empty = JsonSerializer.Deserialize<ORSet<string>>("""{"elements":[],"context":{"vector":{"a":4},"cloud":[]}}""", Options)!;
        Assert.Empty(empty);
        Assert.Equal(4, empty.Context.VersionVector[new ReplicaId("a")]);
        Assert.Empty(JsonSerializer.Deserialize<ORSet<string>>("{}", Options)!);
    }

    [Fact]
    public void GCounter_UnsortedAndDuplicateReplicas_AreSortedOrRejected()
    {
        GCounter counter = JsonSerializer.Deserialize<GCounter>("""{"b":2,"a":1}""", Options)!;
        Assert.Equal(3, counter.Value);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<GCounter>("""{"a":2,"a":1}""", Options));
    }

    [Fact]
    public void PNCounter_DecrementsOfIncrementedReplicas_ShareTheirIdsAndOthersReadAsUsual()
    {
        // Decrements: "b" and "d" are incremented replicas (shared), "c" is not, "\u0064" would be "d" escaped,
        // "é" is not ASCII; an unsorted decrements object is sorted; a duplicate is rejected.
        const string Json = """{"increments":{"a":1,"b":2,"d":3,"é":4},"decrements":{"b":1,"c":1,"d":1,"é":1}}""";
        PNCounter counter = JsonSerializer.Deserialize<PNCounter>(Json, Options)!;
        Assert.Equal(10 - 4, counter.Value);
        VersionVector increments = counter.Increments.Counts;
        VersionVector decrements = counter.Decrements.Counts;
        Assert.Equal(["b", "c", "d", "é"], decrements.Select(d => d.Replica.Value).ToArray());
        Assert.Same(increments.ReplicaAt(1).Value, decrements.ReplicaAt(0).Value);
        Assert.Same(increments.ReplicaAt(2).Value, decrements.ReplicaAt(2).Value);
        Assert.Equal(new ReplicaId("é"), decrements.ReplicaAt(3));

        PNCounter escaped = JsonSerializer.Deserialize<PNCounter>("""{"increments":{"d":3},"decrements":{"\u0064":1}}""", Options)!;
        Assert.Equal(new ReplicaId("d"), escaped.Decrements.Counts.ReplicaAt(0));

        PNCounter unsorted = JsonSerializer.Deserialize<PNCounter>("""{"increments":{"a":1,"b":2},"decrements":{"b":1,"a":1}}""", Options)!;
        Assert.Equal(["a", "b"], unsorted.Decrements.Counts.Select(d => d.Replica.Value).ToArray());
        Assert.Equal(1, unsorted.Value);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PNCounter>("""{"increments":{"a":1},"decrements":{"a":1,"a":2}}""", Options));
    }

    private static List<KeyValuePair<Dot, string>> Index(ORSet<string> set)
    {
        var result = new List<KeyValuePair<Dot, string>>();
        foreach (KeyValuePair<Dot, string> entry in set.DotIndexTree)
        {
            result.Add(entry);
        }

        return result;
    }
}
