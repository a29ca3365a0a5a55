using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Tests;

/// <summary>The code sample at the top of docs/text.md, kept compiling and true.</summary>
public class DocsSampleTests
{
    [Fact]
    public void TextMdSample_ConvergesAsDescribed()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));

        TextUpdate u1 = alice.Insert(0, "Hello world");
        bob.ApplyUpdate(u1);

        TextUpdate u2 = alice.Delete(5, 6);     // "Hello"
        TextUpdate u3 = bob.Insert(11, "!");    // concurrent: "Hello world!"
        alice.ApplyUpdate(u3);
        bob.ApplyUpdate(u2);                    // both: "Hello!"

        // A new replica catches up with one update; a stale one asks only for what it lacks.
        var carol = new TextDocument(new ReplicaId("carol"));
        carol.ApplyUpdate(alice.EncodeStateAsUpdate());
        byte[] wire = TextStateVector.Encode(carol.StateVector);
        carol.ApplyUpdate(bob.EncodeStateAsUpdate(TextStateVector.Decode(wire)));

        Assert.Equal("Hello!", alice.ToString());
        Assert.Equal("Hello!", bob.ToString());
        Assert.Equal("Hello!", carol.ToString());
    }

    [Fact]
    public void TextMdUndoSample_UndoesAndRedoes()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));

        var undo = new TextUndoManager(alice);            // records alice's own Insert/Delete calls from now on
        bob.ApplyUpdate(alice.Insert(0, "Hello"));
        TextUpdate u = undo.Undo();                        // "": ship u like any other update
        bob.ApplyUpdate(u);
        Assert.Equal(string.Empty, bob.ToString());
        TextUpdate r = undo.Redo();                        // "Hello" again, with fresh ids
        bob.ApplyUpdate(r);

        Assert.Equal("Hello", alice.ToString());
        Assert.Equal("Hello", bob.ToString());
        Assert.Equal(10, alice.StateVector[new ReplicaId("alice")]);
        undo.Dispose();
    }
}
