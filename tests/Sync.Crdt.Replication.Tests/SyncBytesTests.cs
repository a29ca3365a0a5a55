using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Replication.Encoding;
using Xunit.Abstractions;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Bytes shipped by one sync round, counted with the real binary encoding (Sync.Crdt.Encoding codecs).</summary>
public class SyncBytesTests(ITestOutputHelper output)
{
    private const int MapSize = 100_000;
    private const int ChangedKeys = 10;

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"user:{i:D6}");

    [Fact]
    public void OneSyncRound_TenChangedKeysInHundredThousandEntryMap_ShipsUnderOnePercentOfFullState()
    {
        var serializer = new ReplicationSerializer([ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.String))]);
        LWWMap<string, string>.Builder builder = LWWMap<string, string>.Empty.ToBuilder();
        var loader = new ReplicaId("loader");
        for (int i = 0; i < MapSize; i++)
        {
            builder.Put(new LWWTimestamp(i + 1, loader), Key(i), "initial value " + i.ToString(CultureInfo.InvariantCulture));
        }

        var a = new DeltaReplicator("replica-a");
        var b = new DeltaReplicator("replica-b");
        a.Define("users", builder.ToImmutable());
        var network = new ReliableNetwork(a, b);
        network.SyncAll();
        Assert.Equal(MapSize, b.Get<LWWMap<string, string>>("users").Count);
        Assert.Equal(0, a.BufferedDeltaCount);

        var clock = new LamportClock(MapSize);
        for (int i = 0; i < ChangedKeys; i++)
        {
            string key = Key(i * 9_973);
            a.Update("users", (LWWMap<string, string> m, ReplicaId me, out LWWMap<string, string> d) => m.Put(me, key, "changed", clock, out d));
        }

        network.Delivered.Clear();
        network.SyncFrom(b);
        long roundBytes = network.Delivered.Sum(m => (long)serializer.GetSerializedSize(m));
        long fullStateBytes = serializer.GetSerializedSize(new FullStateMessage(a.Replica, a.Vector, a.CreateSnapshot().Values));
        string kinds = string.Join(", ", network.Delivered.Select(m => $"{m.GetType().Name} {serializer.GetSerializedSize(m)} B"));
        output.WriteLine($"one sync round: {kinds}; total {roundBytes} bytes; full state: {fullStateBytes} bytes; ratio {100.0 * roundBytes / fullStateBytes:F4}%");

        Assert.Equal(a.Get<LWWMap<string, string>>("users"), b.Get<LWWMap<string, string>>("users"));
        var delta = (LWWMap<string, string>)Assert.Single(Assert.Single(network.Delivered.OfType<DeltaGroupMessage>()).Deltas).Value.BoxedValue;
        Assert.Equal(ChangedKeys, delta.Count);
        Assert.True(roundBytes * 100 < fullStateBytes, $"one round shipped {roundBytes} bytes, full state is {fullStateBytes} bytes");
    }
}
