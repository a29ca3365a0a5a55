using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Tests;

/// <summary>Deletes that reach a replica inside whole-state updates or state-vector diffs, for items it already has.</summary>
public class StateUpdateDeleteTests
{
    [Fact]
    public void ApplyUpdate_WholeStateAfterDelete_DeletesItemThePeerAlreadyHas()
    {
        var a = new TextDocument(new ReplicaId("a"));
        var b = new TextDocument(new ReplicaId("b"));
        b.ApplyUpdate(a.Insert(0, "abc"));
        a.Delete(1, 1);

        b.ApplyUpdate(a.EncodeStateAsUpdate());

        Assert.Equal("ac", a.ToString());
        Assert.Equal("ac", b.ToString());
        Assert.False(b.HasPendingUpdates);
    }

    [Fact]
    public void ApplyUpdate_DiffComputedBeforePeerGotTheInsert_StillDeletes()
    {
        var a = new TextDocument(new ReplicaId("a"));
        var b = new TextDocument(new ReplicaId("b"));
        TextUpdate insert = a.Insert(0, "abc");
        a.Delete(1, 1);
        TextUpdate diff = a.EncodeStateAsUpdate(b.StateVector); // b had nothing yet

        b.ApplyUpdate(insert);
        b.ApplyUpdate(diff);

        Assert.Equal("ac", b.ToString());
    }

    [Fact]
    public void ApplyUpdate_DeletedItemOverlappingWhatThePeerHas_DeletesThePresentPartAndIntegratesTheRest()
    {
        var a = new TextDocument(new ReplicaId("a"));
        var b = new TextDocument(new ReplicaId("b"));
        b.ApplyUpdate(a.Insert(0, "abc"));
        a.Insert(3, "def");
        a.Delete(1, 4);                        // "af": the deleted run b..e straddles what b has (clocks 0..2)

        b.ApplyUpdate(a.EncodeStateAsUpdate());

        Assert.Equal("af", b.ToString());
        Assert.Equal(a.StateVector, b.StateVector);
    }

    [Fact]
    public void ApplyUpdate_WholeStateTwice_IsIdempotent()
    {
        var a = new TextDocument(new ReplicaId("a"));
        var b = new TextDocument(new ReplicaId("b"));
        b.ApplyUpdate(a.Insert(0, "hello world"));
        a.Delete(0, 6);
        TextUpdate state = a.EncodeStateAsUpdate();

        b.ApplyUpdate(state);
        b.ApplyUpdate(state);

        Assert.Equal("world", b.ToString());
        Assert.Equal(5, b.Length);
    }
}
