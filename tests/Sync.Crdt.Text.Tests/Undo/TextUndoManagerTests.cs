using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Tests.Undo;

public class TextUndoManagerTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Undo_EditsWithinTheTimeout_AreOneStep_AndAPauseStartsANewOne()
    {
        var doc = new TextDocument(new ReplicaId("a"));
        using var undo = new TextUndoManager(doc, TimeSpan.FromMilliseconds(500), _time);
        doc.Insert(0, "h");
        _time.Advance(TimeSpan.FromMilliseconds(300));
        doc.Insert(1, "i");
        _time.Advance(TimeSpan.FromMilliseconds(499));
        doc.Insert(2, "!");
        _time.Advance(TimeSpan.FromMilliseconds(500));      // not less than the timeout: a new step
        doc.Insert(3, "?");

        Assert.Equal(2, undo.UndoCount);
        undo.Undo();
        Assert.Equal("hi!", doc.ToString());
        undo.Undo();
        Assert.Equal(string.Empty, doc.ToString());
        Assert.False(undo.CanUndo);
        Assert.Equal(2, undo.RedoCount);
        Assert.Equal(TextUpdate.Empty, undo.Undo());
    }

    [Fact]
    public void StopCapturing_AndZeroTimeout_SeparateSteps()
    {
        var doc = new TextDocument(new ReplicaId("a"));
        using var undo = new TextUndoManager(doc, TimeSpan.FromMinutes(1), _time);
        doc.Insert(0, "a");
        doc.Insert(1, "b");
        undo.StopCapturing();
        doc.Insert(2, "c");
        Assert.Equal(2, undo.UndoCount);

        var other = new TextDocument(new ReplicaId("b"));
        using var everyEdit = new TextUndoManager(other, TimeSpan.Zero, _time);
        other.Insert(0, "a");
        other.Insert(1, "b");
        Assert.Equal(2, everyEdit.UndoCount);
        Assert.Equal(TextUndoManager.DefaultCaptureTimeout, new TextUndoManager(new TextDocument(new ReplicaId("c"))).CaptureTimeout);
    }

    [Fact]
    public void UndoOfDelete_RestoresTheTextWithFreshIds_AndThePeerConverges()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "hello world"));
        using var undo = new TextUndoManager(alice, Pause, _time);
        bob.ApplyUpdate(alice.Delete(5, 6));

        TextUpdate restore = undo.Undo();
        bob.ApplyUpdate(restore);

        Assert.Equal("hello world", alice.ToString());
        Assert.Equal("hello world", bob.ToString());
        Assert.Equal(17, alice.StateVector[new ReplicaId("alice")]);   // 11 + 6 fresh clocks
        Assert.Equal(11, alice.GetPosition(5).Clock);                   // " world" now has new ids
    }

    [Fact]
    public void Redo_ReappliesTheUndoneStep_AndANewEditClearsTheRedoStack()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        using var undo = new TextUndoManager(alice, Pause, _time);
        bob.ApplyUpdate(alice.Insert(0, "abc"));
        _time.Advance(Pause);
        bob.ApplyUpdate(alice.Delete(1, 1));

        bob.ApplyUpdate(undo.Undo());
        Assert.Equal("abc", alice.ToString());
        bob.ApplyUpdate(undo.Redo());
        Assert.Equal("ac", alice.ToString());
        bob.ApplyUpdate(undo.Undo());
        bob.ApplyUpdate(undo.Undo());
        Assert.Equal(string.Empty, alice.ToString());
        bob.ApplyUpdate(undo.Redo());
        Assert.Equal("abc", alice.ToString());
        Assert.Equal("abc", bob.ToString());

        alice.Insert(0, "x");
        Assert.False(undo.CanRedo);
        Assert.Equal(TextUpdate.Empty, undo.Redo());
    }

    [Fact]
    public void Undo_OnlyRemovesThisReplicasText_RemoteTextTypedInsideItStays()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        using var undo = new TextUndoManager(alice, Pause, _time);
        bob.ApplyUpdate(alice.Insert(0, "hello"));
        alice.ApplyUpdate(bob.Insert(2, "[bob]"));           // remote edit inside alice's text: not recorded
        Assert.Equal(1, undo.UndoCount);

        bob.ApplyUpdate(undo.Undo());

        Assert.Equal("[bob]", alice.ToString());
        Assert.Equal("[bob]", bob.ToString());
    }

    [Fact]
    public void UndoOfDelete_RemoteTextTypedInsideTheDeletedRange_KeepsItsPlace()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "abc"));
        using var undo = new TextUndoManager(alice, Pause, _time);
        TextUpdate delete = alice.Delete(0, 3);
        TextUpdate x = bob.Insert(2, "X");                   // concurrently between b and c
        alice.ApplyUpdate(x);
        bob.ApplyUpdate(delete);
        Assert.Equal("X", alice.ToString());

        bob.ApplyUpdate(undo.Undo());

        Assert.Equal("abXc", alice.ToString());
        Assert.Equal("abXc", bob.ToString());
    }

    [Fact]
    public void UndoAndRedo_TextOthersDeletedMeanwhile_StaysDeleted()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        using var undo = new TextUndoManager(alice, Pause, _time);
        bob.ApplyUpdate(alice.Insert(0, "abcdef"));
        alice.ApplyUpdate(bob.Delete(1, 2));                 // bob removes "bc"

        bob.ApplyUpdate(undo.Undo());
        Assert.Equal(string.Empty, alice.ToString());
        bob.ApplyUpdate(undo.Redo());                        // restores only what the undo removed

        Assert.Equal("adef", alice.ToString());
        Assert.Equal("adef", bob.ToString());
    }

    [Fact]
    public void Undo_StepThatTypedAndBackspacedText_DoesNotRestoreTheBackspacedText()
    {
        var doc = new TextDocument(new ReplicaId("a"));
        doc.Insert(0, "base ");
        using var undo = new TextUndoManager(doc, Pause, _time);
        doc.Insert(5, "typo");
        doc.Delete(7, 2);                                   // "base ty"
        doc.Delete(0, 1);                                   // also "ase ty": this one is restored

        doc.ApplyUpdate(undo.Undo());

        Assert.Equal("base ", doc.ToString());
        Assert.Equal(1, undo.RedoCount);
        undo.Redo();
        Assert.Equal("ase ty", doc.ToString());
    }

    [Fact]
    public void UndoOfAnInsert_AfterUndoRestoredPartOfIt_DeletesTheRestoredText()
    {
        var doc = new TextDocument(new ReplicaId("a"));
        using var undo = new TextUndoManager(doc, Pause, _time);
        doc.Insert(0, "abc");
        undo.StopCapturing();
        doc.Delete(1, 1);
        undo.Undo();                                        // "b" comes back with a fresh id
        Assert.Equal("abc", doc.ToString());

        undo.Undo();                                        // the insert of "abc": its restored "b" goes too

        Assert.Equal(string.Empty, doc.ToString());
        undo.Redo();
        Assert.Equal("abc", doc.ToString());
    }

    [Fact]
    public void Positions_BoundToRestoredText_FollowItBack()
    {
        var doc = new TextDocument(new ReplicaId("a"));
        doc.Insert(0, "hello world");
        TextPosition beforeWorld = doc.GetPosition(6);                             // bound to "w"
        TextPosition afterWorld = doc.GetPosition(11, TextPositionBias.Before);    // bound to "d"
        TextPosition afterHello = doc.GetPosition(5, TextPositionBias.Before);     // bound to "o" of hello, never deleted
        using var undo = new TextUndoManager(doc, Pause, _time);
        doc.Delete(5, 6);
        Assert.True(doc.TryResolvePosition(beforeWorld, out int whileDeleted));
        Assert.Equal(5, whileDeleted);

        undo.Undo();

        Assert.True(doc.TryResolvePosition(beforeWorld, out int w));
        Assert.True(doc.TryResolvePosition(afterWorld, out int d));
        Assert.True(doc.TryResolvePosition(afterHello, out int o));
        Assert.Equal(6, w);
        Assert.Equal(11, d);
        Assert.Equal(5, o);

        // Redo deletes the restored text; undo restores it again with newer ids: the position follows the chain.
        undo.Redo();
        undo.Undo();
        Assert.True(doc.TryResolvePosition(beforeWorld, out int again));
        Assert.Equal(6, again);
    }

    [Fact]
    public void RemoteUpdates_AreNotRecorded_AndDisposeStopsRecording()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        var undo = new TextUndoManager(alice, Pause, _time);
        alice.ApplyUpdate(bob.Insert(0, "remote"));
        Assert.False(undo.CanUndo);

        undo.Dispose();
        alice.Insert(0, "local ");
        Assert.False(undo.CanUndo);
        Assert.Throws<ObjectDisposedException>(() => undo.Undo());
        Assert.Throws<ArgumentNullException>(() => new TextUndoManager(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextUndoManager(alice, TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Undo_StepWhoseEffectOthersRemoved_IsSkipped()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        using var undo = new TextUndoManager(alice, Pause, _time);
        bob.ApplyUpdate(alice.Insert(0, "keep"));
        _time.Advance(Pause);
        bob.ApplyUpdate(alice.Insert(4, "gone"));
        alice.ApplyUpdate(bob.Delete(4, 4));                 // bob deleted alice's second step entirely

        bob.ApplyUpdate(undo.Undo());                        // skips the empty second step, undoes the first

        Assert.Equal(string.Empty, alice.ToString());
        Assert.Equal(string.Empty, bob.ToString());
        Assert.False(undo.CanUndo);
    }
}
