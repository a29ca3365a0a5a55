using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Text.Tests;

public class TextPositionTests
{
    [Fact]
    public void Position_SurvivesConcurrentInsertsAndDeletesBeforeIt()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "hello world"));
        TextPosition caret = bob.GetPosition(6); // before "world"

        TextUpdate insert = alice.Insert(0, ">>> ");
        TextUpdate delete = alice.Delete(4, 2); // "he"
        bob.ApplyUpdate(delete); // waits for the insert
        bob.ApplyUpdate(insert);

        Assert.Equal(">>> llo world", bob.ToString());
        Assert.True(bob.TryResolvePosition(caret, out int index));
        Assert.Equal(8, index);
        Assert.Equal("world", bob.ToString()[index..]);
        Assert.True(alice.TryResolvePosition(caret, out int onAlice));
        Assert.Equal(8, onAlice);
    }

    [Fact]
    public void Position_BiasDecidesWhereTextInsertedAtItGoes()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "ab");
        TextPosition after = document.GetPosition(1, TextPositionBias.After);
        TextPosition before = document.GetPosition(1, TextPositionBias.Before);

        document.Insert(1, "XYZ");

        Assert.True(document.TryResolvePosition(after, out int afterIndex));
        Assert.True(document.TryResolvePosition(before, out int beforeIndex));
        Assert.Equal(4, afterIndex);  // still before "b"
        Assert.Equal(1, beforeIndex); // still after "a"
    }

    [Fact]
    public void Position_BoundCharacterDeleted_ResolvesToWhereItWas()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "abcdef");
        TextPosition position = document.GetPosition(3);
        document.Delete(2, 3);
        Assert.True(document.TryResolvePosition(position, out int index));
        Assert.Equal(2, index);
    }

    [Fact]
    public void Position_StartAndEnd_FollowTheTextBoundaries()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "abc");
        Assert.Equal(TextPosition.End, document.GetPosition(3));
        Assert.Equal(TextPosition.Start, document.GetPosition(0, TextPositionBias.Before));
        document.Insert(3, "de");
        Assert.True(document.TryResolvePosition(TextPosition.End, out int end));
        Assert.Equal(5, end);
        Assert.True(document.TryResolvePosition(TextPosition.Start, out int start));
        Assert.Equal(0, start);
    }

    [Fact]
    public void Position_UnknownCodeUnit_DoesNotResolve()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        alice.Insert(0, "abc");
        var bob = new TextDocument(new ReplicaId("bob"));
        Assert.False(bob.TryResolvePosition(alice.GetPosition(1), out int index));
        Assert.Equal(-1, index);
    }

    [Fact]
    public void Position_Equality_IsStructural()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "abc");
        EqualityAssert.Equal(document.GetPosition(1), document.GetPosition(1));
        EqualityAssert.NotEqual(document.GetPosition(1), document.GetPosition(1, TextPositionBias.Before));
        EqualityAssert.NotEqual(TextPosition.Start, TextPosition.End);
        Assert.Equal("After(a:1)", document.GetPosition(1).ToString());
    }
}
