using System;
using FsCheck.Fluent;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class OtClientTests
{
    private static OtClient ClientAt(string text, long revision = 0, string id = "alice") => new(id, new DocumentSnapshot(revision, text));

    private static (string Document, long Revision, ClientState State, TextOperation? Outstanding, TextOperation? Buffer, bool CanUndo) StateOf(OtClient client) =>
        (client.Document, client.Revision, client.State, client.Outstanding, client.Buffer, client.CanUndo);

    [Fact]
    public void ApplyLocal_WhenSynchronized_SendsAndAwaitsConfirm()
    {
        OtClient client = ClientAt("abc", 4);

        ClientSubmission? sent = client.ApplyLocal(TextEdit.Insert(1, "x"));

        Assert.Equal(new ClientSubmission("alice", 4, TextOperation.Insert(3, 1, "x")), sent);
        Assert.Equal(ClientState.AwaitingConfirm, client.State);
        Assert.Equal("axbc", client.Document);
    }

    [Fact]
    public void ApplyLocal_WhileAwaiting_ComposesIntoBuffer_AndAcknowledgeSendsIt()
    {
        OtClient client = ClientAt("abc");
        client.ApplyLocal(TextEdit.Insert(3, "d"));

        Assert.Null(client.ApplyLocal(TextEdit.Insert(4, "e")));
        Assert.Null(client.ApplyLocal(TextEdit.Insert(5, "f")));
        Assert.Equal(ClientState.AwaitingWithBuffer, client.State);
        Assert.Equal(TextOperation.Insert(4, 4, "ef"), client.Buffer);

        ClientSubmission? next = client.Acknowledge(1);

        Assert.Equal(new ClientSubmission("alice", 1, TextOperation.Insert(4, 4, "ef")), next);
        Assert.Equal(ClientState.AwaitingConfirm, client.State);
        Assert.Null(client.Acknowledge(2));
        Assert.Equal(ClientState.Synchronized, client.State);
        Assert.Equal(2, client.Revision);
    }

    [Fact]
    public void ApplyLocal_Identity_ChangesNothing()
    {
        OtClient client = ClientAt("abc");

        Assert.Null(client.ApplyLocal(TextOperation.Identity(3)));
        Assert.Equal(ClientState.Synchronized, client.State);
        Assert.False(client.CanUndo);
    }

    [Fact]
    public void ApplyLocal_WrongLength_ThrowsAndLeavesClientUnchanged()
    {
        OtClient client = ClientAt("abc");
        var before = StateOf(client);

        Assert.Throws<ArgumentException>(() => client.ApplyLocal(TextOperation.Insert(2, 0, "x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.ApplyLocal(TextEdit.Delete(2, 5)));
        Assert.Equal(before, StateOf(client));
    }

    [Fact]
    public void ApplyRemote_WhileAwaitingWithBuffer_TransformsOverBothPendingOperations()
    {
        OtClient client = ClientAt("hello");
        client.ApplyLocal(TextEdit.Insert(5, "!"));   // outstanding: "hello!"
        client.ApplyLocal(TextEdit.Insert(0, ">"));   // buffer: ">hello!"

        TextOperation applied = client.ApplyRemote(new RevisionedOperation(1, "bob", TextOperation.Delete(5, 1, 3))); // bob: "ho"

        Assert.Equal(">ho!", client.Document);
        Assert.Equal(TextOperation.Delete(7, 2, 3), applied);
        Assert.Equal(TextOperation.Insert(2, 2, "!"), client.Outstanding);
        Assert.Equal(TextOperation.Insert(3, 0, ">"), client.Buffer);
        Assert.Equal(1, client.Revision);
    }

    [Fact]
    public void Acknowledge_WhenSynchronized_ThrowsAndLeavesClientUnchanged()
    {
        OtClient client = ClientAt("abc");
        var before = StateOf(client);

        OtProtocolException ex = Assert.Throws<OtProtocolException>(() => client.Acknowledge(1));

        Assert.Equal(ProtocolError.UnexpectedAcknowledgement, ex.Error);
        Assert.Equal(before, StateOf(client));
    }

    [Fact]
    public void Acknowledge_OutOfOrderRevision_ThrowsAndLeavesClientUnchanged()
    {
        OtClient client = ClientAt("abc");
        client.ApplyLocal(TextEdit.Insert(0, "x"));
        var before = StateOf(client);

        OtProtocolException ex = Assert.Throws<OtProtocolException>(() => client.Acknowledge(3));

        Assert.Equal(ProtocolError.OutOfOrderRevision, ex.Error);
        Assert.Equal(before, StateOf(client));
    }

    [Fact]
    public void ApplyRemote_BadMessages_ThrowAndLeaveClientUnchanged()
    {
        OtClient client = ClientAt("abc");
        client.ApplyLocal(TextEdit.Insert(0, "x"));
        var before = StateOf(client);

        Assert.Equal(ProtocolError.OutOfOrderRevision, Assert.Throws<OtProtocolException>(() => client.ApplyRemote(new RevisionedOperation(2, "bob", TextOperation.Identity(3)))).Error);
        Assert.Equal(ProtocolError.UnexpectedAcknowledgement, Assert.Throws<OtProtocolException>(() => client.ApplyRemote(new RevisionedOperation(1, "alice", TextOperation.Identity(3)))).Error);
        Assert.Equal(ProtocolError.BaseLengthMismatch, Assert.Throws<OtProtocolException>(() => client.ApplyRemote(new RevisionedOperation(1, "bob", TextOperation.Identity(4)))).Error);
        Assert.Equal(before, StateOf(client));
    }

    [Fact]
    public void Undo_AfterRemoteInsertBefore_RemovesOnlyOwnText()
    {
        OtClient client = ClientAt("ab");
        client.ApplyLocal(TextEdit.Insert(1, "X"));                                        // aXb
        client.Acknowledge(1);
        client.ApplyRemote(new RevisionedOperation(2, "bob", TextOperation.Insert(3, 0, "YY"))); // YYaXb

        ClientSubmission? undo = client.Undo();

        Assert.Equal("YYab", client.Document);
        Assert.Equal(new ClientSubmission("alice", 2, TextOperation.Delete(5, 3, 1)), undo);
        Assert.False(client.CanUndo);
        Assert.True(client.CanRedo);
    }

    [Fact]
    public void Undo_OfDelete_ReinsertsTextWhereItNowBelongs()
    {
        OtClient client = ClientAt("hello world");
        client.ApplyLocal(TextEdit.Delete(5, 6));                                           // "hello"
        client.ApplyRemote(new RevisionedOperation(1, "bob", TextOperation.Insert(11, 0, ">> "))); // ">> hello"

        client.Undo();

        Assert.Equal(">> hello world", client.Document);
    }

    [Fact]
    public void Undo_WhenRemoteDeletedOwnText_DropsTheEntry()
    {
        OtClient client = ClientAt("ab");
        client.ApplyLocal(TextEdit.Insert(1, "X"));
        client.Acknowledge(1);
        client.ApplyRemote(new RevisionedOperation(2, "bob", TextOperation.Delete(3, 0, 3)));

        Assert.False(client.CanUndo);
        Assert.Null(client.Undo());
        Assert.Equal(string.Empty, client.Document);
    }

    [Fact]
    public void Redo_AfterUndo_RestoresTheEdit_AndNewEditClearsRedo()
    {
        OtClient client = ClientAt("ab");
        client.ApplyLocal(TextEdit.Insert(2, "c"));
        client.ApplyLocal(TextEdit.Insert(3, "d"));

        client.Undo();
        client.Undo();
        Assert.Equal("ab", client.Document);
        client.Redo();
        Assert.Equal("abc", client.Document);
        Assert.True(client.CanRedo);

        client.ApplyLocal(TextEdit.Insert(0, "z"));

        Assert.False(client.CanRedo);
        Assert.Equal("zabc", client.Document);
        // Everything was composed while waiting for the first acknowledgement.
        Assert.Equal("zabc", client.Outstanding!.Compose(client.Buffer!).Apply("ab"));
    }

    [Fact]
    public void UndoLimit_KeepsOnlyTheMostRecentSteps()
    {
        var client = new OtClient("alice", new DocumentSnapshot(0, string.Empty), undoLimit: 2);
        client.ApplyLocal(TextEdit.Insert(0, "a"));
        client.ApplyLocal(TextEdit.Insert(1, "b"));
        client.ApplyLocal(TextEdit.Insert(2, "c"));

        client.Undo();
        client.Undo();

        Assert.False(client.CanUndo);
        Assert.Equal("a", client.Document);
    }

    [Fact]
    public void Resync_DiscardsPendingEdits_AndReturnsThem()
    {
        OtClient client = ClientAt("abc");
        client.ApplyLocal(TextEdit.Insert(0, "x"));
        client.ApplyLocal(TextEdit.Insert(0, "y"));

        TextOperation? discarded = client.Resync(new DocumentSnapshot(9, "server"));

        Assert.Equal("yxabc", discarded!.Apply("abc"));
        Assert.Equal("server", client.Document);
        Assert.Equal(9, client.Revision);
        Assert.Equal(ClientState.Synchronized, client.State);
        Assert.False(client.CanUndo);
        Assert.Null(client.Resync(new DocumentSnapshot(9, "server")));
    }

    [Fact]
    public void Undo_AfterConcurrentEditElsewhere_KeepsOnlyTheOtherEdit_ForRandomEdits()
    {
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            string original = OtGenerators.RandomText(random, random.Next(4, 16));
            int length = OtGenerators.CodePointLength(original);
            int split = random.Next(1, length);
            // Alice edits strictly before the split, Bob strictly after it: their edits never touch.
            int alicePosition = random.Next(0, split);
            var aliceEdit = new TextEdit(alicePosition, random.Next(0, split - alicePosition), OtGenerators.RandomText(random, random.Next(0, 3)));
            int bobPosition = random.Next(split + 1, length + 1);
            var bobEdit = new TextEdit(bobPosition, random.Next(0, length - bobPosition + 1), OtGenerators.RandomText(random, random.Next(0, 3)));
            bool aliceFirst = random.Next(2) == 0;

            var server = new OtServer(new DocumentSnapshot(0, original));
            var alice = new OtClient("alice", server.Snapshot());
            var bob = new OtClient("bob", server.Snapshot());
            ClientSubmission? fromAlice = alice.ApplyLocal(aliceEdit);
            ClientSubmission? fromBob = bob.ApplyLocal(bobEdit);
            if (fromAlice is null || fromBob is null)
            {
                return; // an empty edit: nothing to check
            }

            ServerResponse first = server.Receive(aliceFirst ? fromAlice : fromBob);
            ServerResponse second = server.Receive(aliceFirst ? fromBob : fromAlice);
            RevisionedOperation aliceApplied = (aliceFirst ? first : second).EnsureAccepted();
            RevisionedOperation bobApplied = (aliceFirst ? second : first).EnsureAccepted();
            if (aliceFirst)
            {
                alice.Acknowledge(1);
                alice.ApplyRemote(bobApplied);
            }
            else
            {
                alice.ApplyRemote(bobApplied);
                alice.Acknowledge(2);
            }

            server.Receive(alice.Undo()!).EnsureAccepted();

            string bobOnly = TextOperation.FromEdit(length, bobEdit).Apply(original);
            Assert.Equal(bobOnly, alice.Document);
            Assert.Equal(bobOnly, server.Document);
            Assert.NotNull(aliceApplied);
        });
    }
}
