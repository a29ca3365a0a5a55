using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Tests;

/// <summary>The three cases of seed 002 ("Conflict Resolution", Yjs section), with replica ids "0", "1" and "-1".</summary>
public class SeedExampleTests
{
    private static readonly ReplicaId Alice = new("0");
    private static readonly ReplicaId Bob = new("1");
    private static readonly ReplicaId Claire = new("-1");

    [Fact]
    public void ConcurrentInsertsAtZero_AliceAndBob_LowerReplicaIdFirst_AB()
    {
        var alice = new TextDocument(Alice);
        var bob = new TextDocument(Bob);
        TextUpdate a = alice.Insert(0, "A");
        TextUpdate b = bob.Insert(0, "B");

        alice.ApplyUpdate(b);
        bob.ApplyUpdate(a);

        Assert.Equal("AB", alice.ToString());
        Assert.Equal("AB", bob.ToString());
    }

    [Fact]
    public void ConcurrentInsertsBetweenAAndB_AliceTypesCThenD_BobTypesE_ACDEB()
    {
        var alice = new TextDocument(Alice);
        var bob = new TextDocument(Bob);
        bob.ApplyUpdate(alice.Insert(0, "AB"));

        TextUpdate c = alice.Insert(1, "C");
        TextUpdate d = alice.Insert(2, "D");
        TextUpdate e = bob.Insert(1, "E");

        alice.ApplyUpdate(e);
        bob.ApplyUpdate(d); // out of order: D waits for C
        Assert.True(bob.HasPendingUpdates);
        bob.ApplyUpdate(c);

        Assert.False(bob.HasPendingUpdates);
        Assert.Equal("ACDEB", alice.ToString());
        Assert.Equal("ACDEB", bob.ToString());
    }

    [Fact]
    public void ThreeWriters_EachTypingAfterSeeingTheEarlierLetters_ABC()
    {
        // The seed's third case: A at 0 ms, B at 10 ms, C at 20 ms; each writer has received the earlier letters
        // (so each insert causally follows them), and types at its caret, which follows the text it has seen.
        var alice = new TextDocument(Alice);
        var bob = new TextDocument(Bob);
        var claire = new TextDocument(Claire);
        TextUpdate a = alice.Insert(0, "A");
        bob.ApplyUpdate(a);
        claire.ApplyUpdate(a);
        TextUpdate b = bob.Insert(bob.Length, "B");
        claire.ApplyUpdate(b);
        TextUpdate c = claire.Insert(claire.Length, "C");
        alice.ApplyUpdate(c); // before b: waits in the pending queue
        alice.ApplyUpdate(b);
        bob.ApplyUpdate(c);

        Assert.Equal("ABC", alice.ToString());
        Assert.Equal("ABC", bob.ToString());
        Assert.Equal("ABC", claire.ToString());
    }

    [Fact]
    public void ThreeWriters_TrulyConcurrentAtZero_OrderedByReplicaIdNotTimestamp_CAB()
    {
        // Where we differ from the seed's explanation: time does not order concurrent inserts; replica ids do.
        // Ordinal order puts "-1" before "0" before "1".
        var alice = new TextDocument(Alice);
        var bob = new TextDocument(Bob);
        var claire = new TextDocument(Claire);
        TextUpdate a = alice.Insert(0, "A");
        TextUpdate b = bob.Insert(0, "B");
        TextUpdate c = claire.Insert(0, "C");
        foreach (TextDocument document in new[] { alice, bob, claire })
        {
            document.ApplyUpdate(c);
            document.ApplyUpdate(a);
            document.ApplyUpdate(b);
        }

        Assert.Equal("CAB", alice.ToString());
        Assert.Equal("CAB", bob.ToString());
        Assert.Equal("CAB", claire.ToString());
    }

    [Fact]
    public void ConcurrentRunsAtOnePosition_DoNotInterleave()
    {
        var alice = new TextDocument(Alice);
        var bob = new TextDocument(Bob);
        bob.ApplyUpdate(alice.Insert(0, "[]"));
        var fromAlice = new System.Collections.Generic.List<TextUpdate>();
        var fromBob = new System.Collections.Generic.List<TextUpdate>();
        for (int i = 0; i < 4; i++)
        {
            fromAlice.Add(alice.Insert(1 + i, "a"));
            fromBob.Add(bob.Insert(1 + i, "b"));
        }

        fromBob.ForEach(alice.ApplyUpdate);
        fromAlice.ForEach(bob.ApplyUpdate);

        Assert.Equal("[aaaabbbb]", alice.ToString());
        Assert.Equal("[aaaabbbb]", bob.ToString());
    }
}
