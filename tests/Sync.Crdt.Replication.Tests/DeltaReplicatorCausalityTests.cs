using System.Collections.Immutable;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Observed-remove semantics survive delta replication: removes are never lost, concurrent adds win.</summary>
public class DeltaReplicatorCausalityTests
{
    private static DeltaReplicator SetReplica(string id)
    {
        var replicator = new DeltaReplicator(id);
        replicator.Define("set", TestORSet.Empty);
        return replicator;
    }

    private static void Add(DeltaReplicator r, int element) =>
        r.Update("set", (TestORSet s, ReplicaId me, out TestORSet d) => s.Add(me, element, out d, out _));

    private static void Remove(DeltaReplicator r, int element) =>
        r.Update("set", (TestORSet s, ReplicaId me, out TestORSet d) => s.Remove(element, out d, out _));

    [Fact]
    public void RemoveRelayedThroughThirdReplica_ArrivesWithItsCausalPast_ElementStaysRemoved()
    {
        DeltaReplicator a = SetReplica("a");
        DeltaReplicator b = SetReplica("b");
        DeltaReplicator c = SetReplica("c");
        var ab = new ReliableNetwork(a, b);
        Add(a, 1);
        ab.SyncAll();
        Remove(b, 1);

        // c first hears from b only, then from a: a's add must not resurrect the element b removed.
        var bc = new ReliableNetwork(b, c);
        bc.SyncAll();
        var ac = new ReliableNetwork(a, c);
        ac.SyncAll();

        Assert.Empty(c.Get<TestORSet>("set").Elements);
        Assert.Empty(a.Get<TestORSet>("set").Elements);
    }

    [Fact]
    public void ConcurrentAddAndRemove_AddWins()
    {
        DeltaReplicator a = SetReplica("a");
        DeltaReplicator b = SetReplica("b");
        var network = new ReliableNetwork(a, b);
        Add(a, 1);
        network.SyncAll();

        Remove(b, 1);
        Add(a, 1);
        network.SyncAll();

        Assert.Equal(ImmutableArray.Create(1), a.Get<TestORSet>("set").Elements);
        Assert.Equal(a.Get<TestORSet>("set"), b.Get<TestORSet>("set"));
    }

    [Fact]
    public void RemoveGroupComputedAgainstUnheldPast_IsRejected_NothingApplied()
    {
        DeltaReplicator a = SetReplica("a");
        DeltaReplicator b = SetReplica("b");
        DeltaReplicator c = SetReplica("c");
        b.AddPeer("c");
        var ab = new ReliableNetwork(a, b);
        Add(a, 1);
        ab.SyncAll();
        Remove(b, 1);

        // A digest (stale or forged) claims c holds b's earlier events; b's answer is computed against it,
        // so c must reject it rather than apply a remove whose causal past it lacks.
        var claimed = VersionVector.Create(new Dot("b", b.Vector[new ReplicaId("b")] - 1), new Dot("c", c.Vector[new ReplicaId("c")]));
        var group = (DeltaGroupMessage)b.Receive(new DigestMessage("c", claimed)).Single().Message;

        Assert.IsType<DigestMessage>(Assert.Single(c.Receive(group)).Message);
        Assert.Empty(c.Get<TestORSet>("set").Elements);
        Assert.Equal(0, c.Vector[new ReplicaId("a")]);
    }
}
