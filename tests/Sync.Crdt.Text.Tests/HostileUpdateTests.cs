using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Text.Tests;

/// <summary>Updates no honest replica sends: they are rejected, or applied in a way that keeps every replica consistent.</summary>
public class HostileUpdateTests
{
    [Fact]
    public void DeleteSetCoveringHalfASurrogatePair_DeletesTheWholePair()
    {
        var alice = new TextDocument(new ReplicaId("a"));
        var bob = new TextDocument(new ReplicaId("b"));
        bob.ApplyUpdate(alice.Insert(0, "x\U0001F600y")); // clocks: x 0, high 1, low 2, y 3

        // Hand-written delete set: replica "a", one range, gap 1, length 1: only the high surrogate (clock 1).
        bob.ApplyUpdate(new byte[] { 1, 1, 1, (byte)'a', 0, 1, 0, 1, 1, 1, 0 });
        Assert.Equal("xy", bob.ToString());

        // Only the low surrogate (clock 2): the same outcome on another replica.
        var carol = new TextDocument(new ReplicaId("c"));
        carol.ApplyUpdate(alice.EncodeStateAsUpdate());
        carol.ApplyUpdate(new byte[] { 1, 1, 1, (byte)'a', 0, 1, 0, 1, 2, 1, 0 });
        Assert.Equal("xy", carol.ToString());
    }

    [Fact]
    public void DeleteOfHalfAPair_ArrivingBeforeTheInsert_DeletesTheWholePairOnArrival()
    {
        var alice = new TextDocument(new ReplicaId("a"));
        TextUpdate insert = alice.Insert(0, "\U0001F600z");
        var bob = new TextDocument(new ReplicaId("b"));

        bob.ApplyUpdate(new byte[] { 1, 1, 1, (byte)'a', 0, 1, 0, 1, 1, 1, 0 }); // low half, pending
        Assert.True(bob.HasPendingUpdates);
        bob.ApplyUpdate(insert);

        Assert.False(bob.HasPendingUpdates);
        Assert.Equal("z", bob.ToString());
    }

    [Fact]
    public void DeletedItemOfHalfAPairThatIsPresent_DeletesTheWholePair()
    {
        var alice = new TextDocument(new ReplicaId("a"));
        var bob = new TextDocument(new ReplicaId("b"));
        bob.ApplyUpdate(alice.Insert(0, "\U0001F600"));

        // A block for replica "a" from clock 1: one deleted item of length 1 (info 0x30), no content.
        bob.ApplyUpdate(new byte[] { 1, 1, 1, (byte)'a', 1, 0, 1, 1, 0x31, 0, 0 });

        Assert.Equal(string.Empty, bob.ToString());
    }

    [Fact]
    public void FloodOfOutOfOrderUpdates_WorkPerUpdateStaysBounded()
    {
        // 2,000 single-character edits delivered newest first: each waits for the one before it. A queue that is re-scanned
        // on every apply would offer ~n²/2 = 2,000,000 items; the indexed queue offers each item a bounded number of times.
        const int N = 2000;
        var author = new TextDocument(new ReplicaId("author"));
        var updates = new List<TextUpdate>();
        for (int i = 0; i < N; i++)
        {
            updates.Add(author.Insert(i, "x"));
        }

        var reader = new TextDocument(new ReplicaId("reader"));
        for (int i = N - 1; i >= 0; i--)
        {
            reader.ApplyUpdate(updates[i]);
        }

        Assert.Equal(author.ToString(), reader.ToString());
        Assert.False(reader.HasPendingUpdates);
        Assert.InRange(reader.IntegrationOffers, N, 3 * N);
    }

    [Fact]
    public void FloodOfDuplicatesOfAPendingUpdate_IsQueuedOnce()
    {
        var author = new TextDocument(new ReplicaId("author"));
        author.Insert(0, "a");
        TextUpdate second = author.Insert(1, "b");
        var reader = new TextDocument(new ReplicaId("reader"));
        for (int i = 0; i < 1000; i++)
        {
            reader.ApplyUpdate(second);
        }

        Assert.Equal(1, reader.PendingCount);
    }

    [Fact]
    public void NonMinimalVarint_IsRejectedWithoutChange()
    {
        var alice = new TextDocument(new ReplicaId("a"));
        byte[] honest = alice.Insert(0, "hi").ToArray();          // 01 01 01 61 01 00 00 01 40 00 02 68 69
        byte[] padded = [1, 1, 1, (byte)'a', 1, 0, 0x80, 0x00, 1, 0x40, 0, 2, (byte)'h', (byte)'i'];
        var bob = new TextDocument(new ReplicaId("b"));

        Assert.Throws<CrdtFormatException>(() => bob.ApplyUpdate(padded));
        Assert.Equal(string.Empty, bob.ToString());
        bob.ApplyUpdate(honest);
        Assert.Equal("hi", bob.ToString());
    }
}
