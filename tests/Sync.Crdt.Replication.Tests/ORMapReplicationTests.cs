using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

/// <summary>An <see cref="ORMap{TKey, TValue}"/> replicates like any other type: through pumps, as encoded frames, over a lossy network.</summary>
public class ORMapReplicationTests
{
    private static readonly ReplicatedKey<ORMap<string, GCounter>> Cart = new("cart");
    private static readonly ReplicatedKey<ORMap<string, ORSet<string>>> Board = new("board");

    private static readonly ReplicationSerializer Serializer = new([
        ReplicatedValueFormat.Create(CrdtCodecs.For<ORMap<string, GCounter>>()),
        ReplicatedValueFormat.Create(CrdtCodecs.For<ORMap<string, ORSet<string>>>()),
    ]);

    [Fact]
    public void ThreeReplicas_LossyDuplicatingNetwork_ConvergeToTheJoinOfEveryUpdate() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            var wire = new List<(ReplicaId To, byte[] Frame)>();
            ReplicaId[] ids = ["a", "b", "c"];
            ReplicationPump[] pumps = ids.Select(id => new ReplicationPump(new DeltaReplicator(id), Serializer, (to, frame) => wire.Add((to, frame.ToArray())))).ToArray();
            foreach (ReplicationPump pump in pumps)
            {
                foreach (ReplicaId peer in ids.Where(p => p != pump.Replicator.Replica))
                {
                    pump.Replicator.AddPeer(peer);
                }

                pump.Replicator.Define(Cart, ORMap<string, GCounter>.Empty);
                pump.Replicator.Define(Board, ORMap<string, ORSet<string>>.Empty);
            }

            ORMap<string, GCounter> cartDeltas = ORMap<string, GCounter>.Empty;
            ORMap<string, ORSet<string>> boardDeltas = ORMap<string, ORSet<string>>.Empty;
            for (int step = random.Next(10, 60); step > 0; step--)
            {
                ReplicationPump pump = pumps[random.Next(pumps.Length)];
                string key = "k" + random.Next(4);
                long amount = random.Next(1, 4);
                string element = "e" + random.Next(3);
                switch (random.Next(8))
                {
                    case < 3:
                        pump.Replicator.Update(Cart, (map, me, out delta) => map.Update(me, key, (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, amount, out d), out delta).Also(ref cartDeltas, delta));
                        break;
                    case 3:
                        pump.Replicator.Update(Cart, (map, me, out delta) => map.Remove(key, out delta).Also(ref cartDeltas, delta));
                        break;
                    case < 6:
                        pump.Replicator.Update(Board, (map, me, out delta) => map.Update(me, key, (ORSet<string> s, ReplicaId r, out ORSet<string> d) => s.Add(r, element, out d), out delta).Also(ref boardDeltas, delta));
                        break;
                    case 6:
                        pump.Replicator.Update(Board, (map, me, out delta) => map.Remove(key, out delta).Also(ref boardDeltas, delta));
                        break;
                    default:
                        (random.Next(2) == 0 ? (Action)pump.SyncRound : pump.Push)();
                        break;
                }

                Deliver(pumps, wire, random, lossy: true);
            }

            for (int round = 0; round < 6; round++)
            {
                foreach (ReplicationPump pump in pumps)
                {
                    pump.SyncRound();
                }

                Deliver(pumps, wire, random, lossy: false);
            }

            foreach (ReplicationPump pump in pumps)
            {
                EqualityAssert.Equal(cartDeltas, pump.Replicator.Get(Cart));
                EqualityAssert.Equal(boardDeltas, pump.Replicator.Get(Board));
                Assert.Equal(pumps[0].Replicator.Vector, pump.Replicator.Vector);
            }
        },
        iterations: 60);

    private static void Deliver(ReplicationPump[] pumps, List<(ReplicaId To, byte[] Frame)> wire, Random random, bool lossy)
    {
        while (wire.Count > 0)
        {
            int pick = random.Next(wire.Count);
            (ReplicaId to, byte[] frame) = wire[pick];
            wire.RemoveAt(pick);
            if (lossy && random.Next(5) == 0)
            {
                continue; // lost
            }

            ReplicationPump target = pumps.Single(p => p.Replicator.Replica == to);
            target.Receive(frame);
            if (lossy && random.Next(6) == 0)
            {
                target.Receive(frame); // duplicated
            }

            if (lossy && random.Next(3) == 0)
            {
                return; // leave the rest in flight, to be reordered with later frames
            }
        }
    }
}

/// <summary>Records a delta while returning the mutation's result.</summary>
internal static class DeltaRecording
{
    public static T Also<T>(this T result, ref T group, T delta)
        where T : class, IMergeable<T>
    {
        group = group.Merge(delta);
        return result;
    }
}
