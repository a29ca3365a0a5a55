using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.Replication;

namespace Sync.Crdt.Benchmarks.Replication;

/// <summary>
/// Applying one sync round's delta group (10 changed keys of an LWW map) at a replica holding 1,000 or 100,000
/// entries, against merging the sender's full state. The delta's cost should not depend on the state's size.
/// </summary>
public class DeltaMergeBenchmarks
{
    private const int ChangedKeys = 10;
    private static readonly ReplicaId Sender = new("replica-a");
    private static readonly ReplicaId Receiver = new("replica-b");

    private ReplicatorSnapshot _receiverSnapshot = null!;
    private DeltaGroupMessage _group = null!;
    private FullStateMessage _fullState = null!;
    private LWWMap<string, string> _receiverMap = null!;
    private LWWMap<string, string> _delta = null!;

    /// <summary>Gets or sets the number of map entries both replicas hold.</summary>
    [Params(1_000, 100_000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sender = new DeltaReplicator(Sender);
        sender.AddPeer(Receiver);
        sender.Define("users", BuildMap(Size));

        // The receiver holds an equal map built separately, as if decoded from the wire (no shared nodes).
        var receiver = new DeltaReplicator(Receiver);
        receiver.AddPeer(Sender);
        receiver.Receive(new FullStateMessage(Sender, sender.Vector, [new KeyValuePair<string, ReplicatedValue>("users", ReplicatedValue.Create(BuildMap(Size)))]));
        foreach (OutgoingMessage ack in receiver.CreateSyncMessages())
        {
            sender.Receive(ack.Message);
        }

        var clock = new LamportClock(10);
        for (int i = 0; i < ChangedKeys; i++)
        {
            string key = Key(i * (Size / ChangedKeys));
            sender.Update("users", (LWWMap<string, string> m, ReplicaId me, out LWWMap<string, string> d) => m.Put(me, key, "changed", clock, out d));
        }

        _group = (DeltaGroupMessage)sender.Receive(new DigestMessage(Receiver, receiver.Vector)).Single().Message;
        _fullState = new FullStateMessage(Sender, sender.Vector, sender.CreateSnapshot().Values);
        _receiverSnapshot = receiver.CreateSnapshot();
        _receiverMap = receiver.Get<LWWMap<string, string>>("users");
        _delta = (LWWMap<string, string>)_group.Deltas.Single().Value.BoxedValue;
    }

    /// <summary>The CRDT-level cost: join the 10-key delta into the receiver's map.</summary>
    [Benchmark]
    public LWWMap<string, string> MergeDeltaIntoMap() => _receiverMap.Merge(_delta);

    /// <summary>The replicator-level cost: a replicator restored from the receiver's snapshot receives the group (includes the restore).</summary>
    [Benchmark]
    public int ReceiveDeltaGroup() => DeltaReplicator.Restore(_receiverSnapshot, Receiver).Receive(_group).Count;

    /// <summary>The fallback for comparison: the same replicator receives the sender's full state instead.</summary>
    [Benchmark(Baseline = true)]
    public int ReceiveFullState() => DeltaReplicator.Restore(_receiverSnapshot, Receiver).Receive(_fullState).Count;

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"user:{i:D6}");

    private static LWWMap<string, string> BuildMap(int size)
    {
        LWWMap<string, string>.Builder builder = LWWMap<string, string>.Empty.ToBuilder();
        var writer = new ReplicaId("loader");
        for (int i = 0; i < size; i++)
        {
            builder.Put(new LWWTimestamp(1 + i, writer), Key(i), "initial value " + i.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToImmutable();
    }
}
