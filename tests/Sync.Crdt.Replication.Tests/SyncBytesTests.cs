using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Xunit.Abstractions;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Bytes shipped by one sync round, counted with the real binary encoding (Sync.Crdt.Encoding codecs).</summary>
public class SyncBytesTests(ITestOutputHelper output)
{
    private const int MapSize = 100_000;
    private const int ChangedKeys = 10;
    private static readonly ReplicatedKey<LWWMap<string, string>> Users = new("users");

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"user:{i:D6}");

    [Fact]
    public void OneSyncRound_TenChangedKeysInHundredThousandEntryMap_ShipsUnderOnePercentOfFullState()
    {
        LWWMap<string, string>.Builder builder = LWWMap<string, string>.Empty.ToBuilder();
        var loader = new ReplicaId("loader");
        for (int i = 0; i < MapSize; i++)
        {
            builder.Put(new LWWTimestamp(i + 1, loader), Key(i), "initial value " + i.ToString(CultureInfo.InvariantCulture));
        }

        var a = new DeltaReplicator("replica-a");
        var b = new DeltaReplicator("replica-b");
        a.Define(Users, builder.ToImmutable());
        var network = new LoopbackNetwork(a, b);
        network.SyncAll();
        Assert.Equal(MapSize, b.Get(Users).Count);
        Assert.Equal(0, a.BufferedDeltaCount);

        var clock = new LamportClock(MapSize);
        for (int i = 0; i < ChangedKeys; i++)
        {
            string key = Key(i * 9_973);
            a.Update(Users, (m, me, out d) => m.Put(me, key, "changed", clock, out d));
        }

        network.ClearRecords();
        network.SyncFrom(b);
        long roundBytes = network.BytesDelivered;
        long fullStateBytes = TestTypes.TestFormats.Serializer.GetSerializedSize(new FullStateMessage(a.Replica, a.Vector, a.CreateSnapshot().Values));
        string kinds = string.Join(", ", network.Results.Select(r => $"{r.Message.GetType().Name} {TestTypes.TestFormats.Serializer.GetSerializedSize(r.Message)} B"));
        output.WriteLine($"one sync round: {kinds}; total {roundBytes} bytes; full state: {fullStateBytes} bytes; ratio {100.0 * roundBytes / fullStateBytes:F4}%");

        Assert.Equal(a.Get(Users), b.Get(Users));
        var delta = (LWWMap<string, string>)Assert.Single(Assert.Single(network.Delivered.OfType<DeltaGroupMessage>()).Deltas).Value.BoxedValue;
        Assert.Equal(ChangedKeys, delta.Count);
        Assert.Equal(roundBytes, network.Results.Sum(r => (long)TestTypes.TestFormats.Serializer.GetSerializedSize(r.Message)));
        Assert.True(roundBytes * 100 < fullStateBytes, $"one round shipped {roundBytes} bytes, full state is {fullStateBytes} bytes");
    }
}
