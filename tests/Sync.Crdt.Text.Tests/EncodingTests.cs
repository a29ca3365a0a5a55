using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Text.Tests;

public class EncodingTests
{
    private static Gen<(int Seed, int Steps)> History => Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 80));

    [Fact]
    public void EncodeStateAsUpdate_AppliedToFreshReplica_GivesSameTextAndStateVector() =>
        PropertyCheck.ForAll(History, t =>
        {
            TextDocument source = RandomHistory(t.Seed, t.Steps, out _);
            var fresh = new TextDocument(new ReplicaId("fresh"));
            fresh.ApplyUpdate(source.EncodeStateAsUpdate());
            Assert.Equal(source.ToString(), fresh.ToString());
            Assert.Equal(source.StateVector, fresh.StateVector);

            // Round trip: the loaded replica's own encoding loads to the same text again.
            var second = new TextDocument(new ReplicaId("second"));
            second.ApplyUpdate(fresh.EncodeStateAsUpdate());
            Assert.Equal(source.ToString(), second.ToString());
        });

    [Fact]
    public void EncodeStateAsUpdate_DiffAgainstPeerStateVector_BringsPeerUpToDate() =>
        PropertyCheck.ForAll(History, t =>
        {
            var random = new Random(t.Seed);
            TextDocument source = RandomHistory(t.Seed, t.Steps / 2, out StringBuilder model);
            var peer = new TextDocument(new ReplicaId("peer"));
            peer.ApplyUpdate(source.EncodeStateAsUpdate());
            for (int i = 0; i < t.Steps / 2; i++)
            {
                ConvergenceProperties.RandomLocalEdit(source, model, random);
            }

            TextUpdate diff = source.EncodeStateAsUpdate(peer.StateVector);
            peer.ApplyUpdate(diff);
            Assert.Equal(source.ToString(), peer.ToString());
            Assert.Equal(source.StateVector, peer.StateVector);
        });

    [Fact]
    public void EncodeStateAsUpdate_PeerUpToDate_AppliesAsNoChange()
    {
        TextDocument source = RandomHistory(7, 40, out _);
        var peer = new TextDocument(new ReplicaId("peer"));
        peer.ApplyUpdate(source.EncodeStateAsUpdate());
        string before = peer.ToString();

        peer.ApplyUpdate(source.EncodeStateAsUpdate(peer.StateVector));

        Assert.Equal(before, peer.ToString());
        Assert.False(peer.HasPendingUpdates);
    }

    [Fact]
    public void EncodeStateAsUpdate_EmptyDocument_IsTheEmptyUpdate()
    {
        var document = new TextDocument(new ReplicaId("a"));
        EqualityAssert.Equal(TextUpdate.Empty, document.EncodeStateAsUpdate());
    }

    [Fact]
    public void Insert_EmptyText_ReturnsEmptyUpdateAndChangesNothing()
    {
        var document = new TextDocument(new ReplicaId("a"));
        Assert.Equal(TextUpdate.Empty, document.Insert(0, string.Empty));
        Assert.Equal(TextUpdate.Empty, document.Delete(0, 0));
        Assert.Equal(TextUpdate.Empty, default);
        Assert.Equal(0, document.Length);
        Assert.True(document.StateVector.IsEmpty);
    }

    [Fact]
    public void TextUpdate_Equality_IsByteWise()
    {
        var a = new TextDocument(new ReplicaId("a"));
        TextUpdate update = a.Insert(0, "hello");
        EqualityAssert.Equal(update, TextUpdate.FromBytes(update.Span));
        EqualityAssert.NotEqual(update, a.Insert(0, "x"));
        Assert.Equal(update.ToArray(), TextUpdate.FromBytes(update.ToArray()).ToArray());
    }

    [Fact]
    public void LocalInsert_EncodesTheDocumentedBytes()
    {
        // Hand-written from docs/text.md: version, replica table ["a"], one block (replica 0, clock 0, one item:
        // info = length 2 << 5, no origins), empty delete set, content "hi".
        var document = new TextDocument(new ReplicaId("a"));
        byte[] expected = [1, 1, 1, (byte)'a', 1, 0, 0, 1, 2 << 5, 0, 2, (byte)'h', (byte)'i'];
        Assert.Equal(expected, document.Insert(0, "hi").ToArray());

        // Typing on: origin-left is the previous clock of the same replica (kind 1).
        byte[] next = [1, 1, 1, (byte)'a', 1, 0, 2, 1, (1 << 5) | 1, 0, 1, (byte)'!'];
        Assert.Equal(next, document.Insert(2, "!").ToArray());

        // Deleting "i" (clock 1): empty block list, a delete set of one range (gap 1, length 1).
        byte[] delete = [1, 1, 1, (byte)'a', 0, 1, 0, 1, 1, 1, 0];
        Assert.Equal(delete, document.Delete(1, 1).ToArray());
    }

    [Fact]
    public void EncodeStateAsUpdate_SplitDeletedAndForeignOrigins_EncodesTheDocumentedBytes()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "ab"));
        alice.ApplyUpdate(bob.Insert(1, "X"));
        alice.Delete(2, 1);

        // Hand-written from docs/text.md. Replica table ["alice", "bob"]; alice's block: "a" (clock 0, no origins, info 0x20)
        // and the deleted split part "b" (clock 1, origin-left = previous clock, info 0x31); bob's block: "X" (origin-left
        // alice:0, kind 3; origin-right alice:1, kind 2; info 0x2B); empty delete set; content "aX".
        byte[] expected =
        [
            1,
            2, 5, (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'e', 3, (byte)'b', (byte)'o', (byte)'b',
            2,
            0, 0, 2, 0x20, 0x31,
            1, 0, 1, 0x2B, 0, 0, 0, 1,
            0,
            2, (byte)'a', (byte)'X',
        ];
        TextUpdate full = alice.EncodeStateAsUpdate();
        Assert.Equal(expected, full.ToArray());

        var fresh = new TextDocument(new ReplicaId("fresh"));
        fresh.ApplyUpdate(expected);
        Assert.Equal("aX", fresh.ToString());
        Assert.Equal(alice.StateVector, fresh.StateVector);
    }

    internal static TextDocument RandomHistory(int seed, int steps, out StringBuilder model)
    {
        var random = new Random(seed);
        TextDocument[] replicas = ConvergenceProperties.CreateReplicas(2, random);
        var models = new[] { new StringBuilder(), new StringBuilder() };
        for (int i = 0; i < steps; i++)
        {
            int r = random.Next(2);
            TextUpdate update = ConvergenceProperties.RandomLocalEdit(replicas[r], models[r], random);
            if (random.Next(2) == 0)
            {
                replicas[1 - r].ApplyUpdate(update);
                models[1 - r].Clear().Append(replicas[1 - r].ToString());
            }
        }

        replicas[0].ApplyUpdate(replicas[1].EncodeStateAsUpdate());
        model = new StringBuilder(replicas[0].ToString());
        return replicas[0];
    }
}
