using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Tests.TestTypes;
using Xunit.Abstractions;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Bytes shipped by one sync round, counted with the binary message encoding.</summary>
public class SyncBytesTests(ITestOutputHelper output)
{
    private const int MapSize = 100_000;
    private const int ChangedKeys = 10;

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"user:{i:D6}");

    [Fact]
    public void OneSyncRound_TenChangedKeysInHundredThousandEntryMap_ShipsUnderOnePercentOfFullState()
    {
        var codec = new ReplicationMessageCodec(TestFormats.All);
        var builder = TestLwwMap.Empty.Entries.ToBuilder();
        for (int i = 0; i < MapSize; i++)
        {
            builder[Key(i)] = (1, "initial value " + i.ToString(CultureInfo.InvariantCulture));
        }

        var a = new DeltaReplicator("replica-a");
        var b = new DeltaReplicator("replica-b");
        a.Define("users", new TestLwwMap(builder.ToImmutable()));
        var network = new ReliableNetwork(a, b);
        network.SyncAll();
        Assert.Equal(MapSize, b.Get<TestLwwMap>("users").Entries.Count);
        Assert.Equal(0, a.BufferedDeltaCount);

        for (int i = 0; i < ChangedKeys; i++)
        {
            string key = Key(i * 9_973);
            a.Update("users", (TestLwwMap m, ReplicaId me, out TestLwwMap d) => m.Put(key, "changed", 2, out d));
        }

        network.Delivered.Clear();
        network.SyncFrom(b);
        long roundBytes = network.Delivered.Sum(m => (long)codec.GetEncodedSize(m));
        long fullStateBytes = codec.GetEncodedSize(new FullStateMessage(a.Replica, a.Vector, a.CreateSnapshot().Values));
        string kinds = string.Join(", ", network.Delivered.Select(m => $"{m.GetType().Name} {codec.GetEncodedSize(m)} B"));
        output.WriteLine($"one sync round: {kinds}; total {roundBytes} bytes; full state: {fullStateBytes} bytes; ratio {100.0 * roundBytes / fullStateBytes:F4}%");

        Assert.Equal(a.Get<TestLwwMap>("users"), b.Get<TestLwwMap>("users"));
        Assert.Equal(ChangedKeys, Assert.Single(network.Delivered.OfType<DeltaGroupMessage>()).Deltas.Single().Value.BoxedValue is TestLwwMap delta ? delta.Entries.Count : -1);
        Assert.True(roundBytes * 100 < fullStateBytes, $"one round shipped {roundBytes} bytes, full state is {fullStateBytes} bytes");
    }
}
