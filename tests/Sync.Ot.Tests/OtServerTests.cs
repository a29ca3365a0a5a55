using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class OtServerTests
{
    private static OtServer ServerWith(string text) => new(new DocumentSnapshot(0, text));

    private static (string Document, long Revision, int HistoryCount, long Oldest) StateOf(OtServer server) =>
        (server.Document, server.Revision, server.HistoryCount, server.OldestTransformableRevision);

    [Fact]
    public void Receive_FirstSubmission_AppliesAndAssignsRevisionOne()
    {
        OtServer server = ServerWith("abc");

        ServerResponse response = server.Receive(new ClientSubmission("alice", 0, TextOperation.Insert(3, 3, "d")));

        Assert.True(response.IsAccepted);
        Assert.Equal(new RevisionedOperation(1, "alice", TextOperation.Insert(3, 3, "d")), response.Applied);
        Assert.Equal(ProtocolError.None, response.Error);
        Assert.Equal("abcd", server.Document);
        Assert.Equal(1, server.Revision);
        Assert.Equal(4, server.DocumentCodePointLength);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Receive_Seed002_EitherArrivalOrder_EveryReplicaEndsWithACE(bool aliceFirst)
    {
        var server = ServerWith("ABCDE");
        var alice = new OtClient("alice", server.Snapshot());
        var bob = new OtClient("bob", server.Snapshot());
        ClientSubmission aliceSends = alice.ApplyLocal(TextEdit.Delete(3, 1))!; // DEL 03 (D)
        ClientSubmission bobSends = bob.ApplyLocal(TextEdit.Delete(1, 1))!;     // DEL 01 (B)
        Assert.Equal("ABCE", alice.Document);
        Assert.Equal("ACDE", bob.Document);

        (OtClient firstClient, ClientSubmission firstOp, OtClient secondClient, ClientSubmission secondOp) =
            aliceFirst ? (alice, aliceSends, bob, bobSends) : (bob, bobSends, alice, aliceSends);
        RevisionedOperation first = server.Receive(firstOp).EnsureAccepted();
        RevisionedOperation second = server.Receive(secondOp).EnsureAccepted();
        Assert.Null(firstClient.Acknowledge(first.Revision));
        secondClient.ApplyRemote(first);
        Assert.Null(secondClient.Acknowledge(second.Revision));
        firstClient.ApplyRemote(second);

        Assert.Equal("ACE", server.Document);
        Assert.Equal("ACE", alice.Document);
        Assert.Equal("ACE", bob.Document);
        // The second operation was rebased past the first: "DEL 03" becomes "DEL 02" when Alice's arrives second.
        Assert.Equal(aliceFirst ? TextOperation.Delete(4, 1, 1) : TextOperation.Delete(4, 2, 1), second.Operation);
    }

    [Fact]
    public void Receive_ConcurrentInsertsAtSamePosition_LowerClientIdFirst()
    {
        OtServer server = ServerWith("xy");

        server.Receive(new ClientSubmission("bob", 0, TextOperation.Insert(2, 1, "B"))).EnsureAccepted();
        server.Receive(new ClientSubmission("alice", 0, TextOperation.Insert(2, 1, "A"))).EnsureAccepted();

        Assert.Equal("xABy", server.Document);
    }

    [Fact]
    public void Receive_BaseLengthMismatch_IsRejectedAndStateUntouched()
    {
        OtServer server = ServerWith("abc");
        server.Receive(new ClientSubmission("alice", 0, TextOperation.Insert(3, 0, "z"))).EnsureAccepted();
        var before = StateOf(server);

        ServerResponse atCurrent = server.Receive(new ClientSubmission("bob", 1, TextOperation.Insert(3, 0, "q")));
        ServerResponse atOld = server.Receive(new ClientSubmission("bob", 0, TextOperation.Insert(4, 0, "q")));

        Assert.Equal(ProtocolError.BaseLengthMismatch, atCurrent.Error);
        Assert.Equal(ProtocolError.BaseLengthMismatch, atOld.Error);
        Assert.False(atOld.IsAccepted);
        Assert.Null(atOld.Applied);
        Assert.Contains("revision 0", atOld.Message, StringComparison.Ordinal);
        Assert.Equal(before, StateOf(server));
    }

    [Fact]
    public void Receive_FutureRevision_IsRejectedAndStateUntouched()
    {
        OtServer server = ServerWith("abc");
        var before = StateOf(server);

        ServerResponse response = server.Receive(new ClientSubmission("bob", 1, TextOperation.Insert(3, 0, "q")));

        Assert.Equal(ProtocolError.RevisionFromFuture, response.Error);
        OtProtocolException ex = Assert.Throws<OtProtocolException>(() => response.EnsureAccepted());
        Assert.Equal(ProtocolError.RevisionFromFuture, ex.Error);
        Assert.Equal(before, StateOf(server));
    }

    [Fact]
    public void Receive_NegativeRevision_IsRejected()
    {
        OtServer server = ServerWith("abc");

        Assert.Equal(ProtocolError.InvalidRevision, server.Receive(new ClientSubmission("bob", -1, TextOperation.Identity(3))).Error);
        Assert.Equal(0, server.Revision);
    }

    [Fact]
    public void Receive_DuplicateSubmission_IsRejectedAsConcurrentWithOwnOperation()
    {
        OtServer server = ServerWith("abc");
        var submission = new ClientSubmission("alice", 0, TextOperation.Insert(3, 0, "z"));
        server.Receive(submission).EnsureAccepted();
        var before = StateOf(server);

        ServerResponse again = server.Receive(submission);

        Assert.Equal(ProtocolError.ConcurrentWithOwnOperation, again.Error);
        Assert.Equal(before, StateOf(server));
    }

    [Fact]
    public void Receive_BaseOlderThanTrimmedHistory_AsksForResyncWithSnapshot()
    {
        OtServer server = ServerWith(string.Empty);
        for (int i = 0; i < 5; i++)
        {
            server.Receive(new ClientSubmission("alice", i, TextOperation.Insert(i, i, "a"))).EnsureAccepted();
        }

        Assert.Equal(3, server.TrimHistory(3));
        var before = StateOf(server);

        ServerResponse response = server.Receive(new ClientSubmission("bob", 2, TextOperation.Insert(2, 0, "b")));

        Assert.Equal(ProtocolError.ResyncRequired, response.Error);
        Assert.Equal(new DocumentSnapshot(5, "aaaaa"), response.Snapshot);
        Assert.Equal(before, StateOf(server));
        // From revision 3 on the history is still there.
        Assert.True(server.Receive(new ClientSubmission("bob", 3, TextOperation.Insert(3, 0, "b"))).IsAccepted);
        Assert.Equal("baaaaa", server.Document);
    }

    [Fact]
    public void TrimHistory_AtOrBelowOldest_DropsNothing()
    {
        OtServer server = ServerWith(string.Empty);
        server.Receive(new ClientSubmission("alice", 0, TextOperation.Insert(0, 0, "a"))).EnsureAccepted();

        Assert.Equal(0, server.TrimHistory(0));
        Assert.Equal(1, server.HistoryCount);
        Assert.Equal(1, server.TrimHistory(long.MaxValue));
        Assert.Equal(0, server.HistoryCount);
        Assert.Equal(1, server.OldestTransformableRevision);
    }

    [Fact]
    public void HistoryLimit_KeepsOnlyTheLastEntries()
    {
        var server = new OtServer(new DocumentSnapshot(10, string.Empty), historyLimit: 3);
        for (int i = 0; i < 100; i++)
        {
            server.Receive(new ClientSubmission("alice", 10 + i, TextOperation.Insert(i, i, "a"))).EnsureAccepted();
        }

        Assert.Equal(110, server.Revision);
        Assert.Equal(3, server.HistoryCount);
        Assert.Equal(107, server.OldestTransformableRevision);
        Assert.Equal(ProtocolError.ResyncRequired, server.Receive(new ClientSubmission("bob", 106, TextOperation.Identity(96))).Error);
        Assert.True(server.TryGetOperationsSince(107, out IReadOnlyList<RevisionedOperation> ops));
        Assert.Equal(new long[] { 108, 109, 110 }, new[] { ops[0].Revision, ops[1].Revision, ops[2].Revision });
    }

    [Fact]
    public void TryGetOperationsSince_CatchesUpALateClient()
    {
        OtServer server = ServerWith("start");
        DocumentSnapshot early = server.Snapshot();
        var writer = new OtClient("writer", early);
        for (int i = 0; i < 10; i++)
        {
            ClientSubmission submission = writer.ApplyLocal(TextEdit.Insert(writer.DocumentCodePointLength, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
            writer.Acknowledge(server.Receive(submission).EnsureAccepted().Revision);
        }

        var late = new OtClient("late", early);
        Assert.True(server.TryGetOperationsSince(late.Revision, out IReadOnlyList<RevisionedOperation> missed));
        foreach (RevisionedOperation op in missed)
        {
            late.ApplyRemote(op);
        }

        Assert.Equal("start0123456789", late.Document);
        Assert.Equal(server.Revision, late.Revision);
        Assert.False(server.TryGetOperationsSince(11, out _));
        Assert.False(server.TryGetOperationsSince(-1, out _));
    }

    [Fact]
    public void Constructor_NegativeHistoryLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OtServer(new DocumentSnapshot(0, string.Empty), -1));
        Assert.Throws<ArgumentNullException>(() => new OtServer(null!));
        Assert.Throws<ArgumentNullException>(() => new OtServer().Receive(null!));
    }

    [Fact]
    public void Messages_Equality_IsStructural()
    {
        OtServer first = ServerWith("ab");
        OtServer second = ServerWith("ab");
        var submission = new ClientSubmission("alice", 0, TextOperation.Insert(2, 1, "x"));

        EqualityAssert.Equal(first.Receive(submission), second.Receive(submission));
        EqualityAssert.Equal(first.Receive(submission), second.Receive(submission)); // both rejected alike
        EqualityAssert.NotEqual(first.Receive(submission), ServerWith("ab").Receive(submission));
        EqualityAssert.Equal(submission, new ClientSubmission("alice", 0, TextOperation.Insert(2, 1, "x")));
        EqualityAssert.NotEqual(submission, new ClientSubmission("bob", 0, TextOperation.Insert(2, 1, "x")));
        EqualityAssert.Equal(new RevisionedOperation(3, "a", TextOperation.Identity(1)), new RevisionedOperation(3, "a", TextOperation.Identity(1)));
        EqualityAssert.NotEqual(new RevisionedOperation(3, "a", TextOperation.Identity(1)), new RevisionedOperation(4, "a", TextOperation.Identity(1)));
        EqualityAssert.Equal(new DocumentSnapshot(2, "😀"), new DocumentSnapshot(2, "😀"));
        EqualityAssert.NotEqual(new DocumentSnapshot(2, "😀"), new DocumentSnapshot(3, "😀"));
        Assert.Equal(1, new DocumentSnapshot(2, "😀").CodePointLength);
    }

    [Fact]
    public void Receive_FromManyThreads_AppliesEachOnceInOneOrder_ConcurrentInsertsSortedByClientId()
    {
        OtServer server = ServerWith("!");
        const int Clients = 16;
        var responses = new ServerResponse[Clients];

        System.Threading.Tasks.Parallel.For(0, Clients, i =>
        {
            string id = "client" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            string letter = ((char)('a' + i)).ToString();
            responses[i] = server.Receive(new ClientSubmission(id, 0, TextOperation.Insert(1, 0, letter)));
        });

        Assert.All(responses, r => Assert.True(r.IsAccepted));
        Assert.Equal(Clients, server.Revision);
        Assert.Equal(Enumerable.Range(1, Clients).Select(i => (long)i), responses.Select(r => r.Applied!.Revision).Order());
        // Every insert was at position 0 of revision 0: whatever the arrival order, lower client ids come first.
        Assert.Equal("abcdefghijklmnop!", server.Document);
    }
}
