using System;
using System.Collections.Generic;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Text.Tests;

public class TextDocumentTests
{
    [Fact]
    public void Constructor_DefaultReplicaId_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new TextDocument(default));

    [Fact]
    public void RandomLocalEdits_MatchStringBuilderModel() =>
        PropertyCheck.ForAll(FsCheck.Fluent.Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            var document = new TextDocument(new ReplicaId("solo"));
            var model = new StringBuilder();
            for (int i = 0; i < 200; i++)
            {
                ConvergenceProperties.RandomLocalEdit(document, model, random);
            }

            Assert.Equal(model.ToString(), document.ToString());
            Assert.Equal(model.Length, document.Length);
            for (int i = 0; i < model.Length; i++)
            {
                Assert.Equal(model[i], document[i]);
            }
        }, iterations: 100);

    [Fact]
    public void Insert_TypingForward_ExtendsOneItem()
    {
        var document = new TextDocument(new ReplicaId("a"));
        for (int i = 0; i < 1000; i++)
        {
            document.Insert(i, "x");
        }

        Assert.Equal(1, document.ItemCount);
        Assert.Equal(new string('x', 1000), document.ToString());
    }

    [Fact]
    public void Delete_BackspacingThroughARun_MergesDeletedPiecesBack()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "0123456789");
        for (int i = 8; i >= 2; i--)
        {
            document.Delete(i, 1);
        }

        // "01" visible, "2345678" deleted (one merged item), "9" visible.
        Assert.Equal("019", document.ToString());
        Assert.Equal(3, document.ItemCount);
    }

    [Fact]
    public void Delete_EverythingThenTypeAgain_DeletedContentIsCollectedButIdsStillResolve()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "hello world"));
        TextUpdate bobInsert = bob.Insert(5, ",");      // concurrent with the delete below, anchored to deleted ids
        alice.ApplyUpdate(alice.Delete(0, alice.Length)); // idempotent re-apply of its own update
        alice.ApplyUpdate(bobInsert);
        Assert.Equal(",", alice.ToString());

        // The full update carries no deleted content: only "," (1 byte) of text.
        var fresh = new TextDocument(new ReplicaId("fresh"));
        fresh.ApplyUpdate(alice.EncodeStateAsUpdate());
        Assert.Equal(",", fresh.ToString());
    }

    [Fact]
    public void Delete_ThenKeepTyping_DeletedContentIsCompactedAway()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, new string('d', 10_000));
        document.Delete(0, 10_000);
        for (int i = 0; i < 30_000; i++)
        {
            document.Insert(i, "t");
        }

        Assert.Equal(new string('t', 30_000), document.ToString());
        Assert.True(document.StoredContentLength < 40_000, $"the buffer still holds {document.StoredContentLength} code units");
        Assert.True(document.StoredContentLength >= 30_000);
    }

    [Fact]
    public void EnumerateRuns_ConcatenatesToText_AndThrowsAfterAnEdit()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "hello");
        document.Insert(0, ">> ");
        document.Delete(4, 1);
        var text = new StringBuilder();
        foreach (ReadOnlyMemory<char> run in document.EnumerateRuns())
        {
            Assert.False(run.IsEmpty);
            text.Append(run.Span);
        }

        Assert.Equal(">> hllo", text.ToString());
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (ReadOnlyMemory<char> run in document.EnumerateRuns())
            {
                document.Insert(0, "!");
            }
        });
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(6, 0)]
    [InlineData(0, 6)]
    [InlineData(5, 1)]
    [InlineData(2, -1)]
    public void Delete_OutOfRange_ThrowsArgumentOutOfRange(int index, int length)
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "hello");
        Assert.Throws<ArgumentOutOfRangeException>(() => document.Delete(index, length));
        Assert.Equal("hello", document.ToString());
    }

    [Fact]
    public void Insert_OutOfRangeOrNull_Throws()
    {
        var document = new TextDocument(new ReplicaId("a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => document.Insert(1, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => document.Insert(-1, "x"));
        Assert.Throws<ArgumentNullException>(() => document.Insert(0, null!));
    }

    [Fact]
    public void SurrogatePairs_NeverSplit()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "a\U0001F600b"); // a, high, low, b
        Assert.Equal(4, document.Length);
        Assert.Throws<ArgumentException>(() => document.Insert(2, "x"));
        Assert.Throws<ArgumentException>(() => document.Delete(1, 1));
        Assert.Throws<ArgumentException>(() => document.Delete(2, 1));
        Assert.Throws<ArgumentException>(() => document.Insert(0, "\uD83D"));
        Assert.Throws<ArgumentException>(() => document.Insert(0, "\uDE00x"));
        Assert.Equal("a\U0001F600b", document.ToString());

        document.Delete(1, 2);
        Assert.Equal("ab", document.ToString());
    }

    [Fact]
    public void ApplyUpdate_MissingDependencies_WaitInPendingQueueUntilTheyArrive()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var updates = new List<TextUpdate> { alice.Insert(0, "abc"), alice.Insert(3, "def"), alice.Delete(1, 4), alice.Insert(1, "X") };
        var bob = new TextDocument(new ReplicaId("bob"));

        bob.ApplyUpdate(updates[3]);
        bob.ApplyUpdate(updates[2]);
        bob.ApplyUpdate(updates[1]);
        Assert.True(bob.HasPendingUpdates);
        Assert.Equal(3, bob.PendingCount);
        Assert.Equal(string.Empty, bob.ToString());
        Assert.True(bob.StateVector.IsEmpty);

        bob.ApplyUpdate(updates[0]);

        Assert.False(bob.HasPendingUpdates);
        Assert.Equal(alice.ToString(), bob.ToString());
        Assert.Equal("aXf", bob.ToString());
        Assert.Equal(alice.StateVector, bob.StateVector);
    }

    [Fact]
    public void StateVector_CountsIntegratedCodeUnitsPerReplica()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "hello"));
        bob.Insert(0, "ab");
        bob.Delete(0, 3);

        VersionVector expected = VersionVector.Create(new Dot(new ReplicaId("alice"), 5), new Dot(new ReplicaId("bob"), 2));
        Assert.Equal(expected, bob.StateVector);
    }
}
