using System;
using System.Collections.Generic;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication.Tests.Storage;

public class DocumentChangeDispatcherTests
{
    [Fact]
    public void Publish_Committed_ReachesOnlyThatDocumentsLiveSubscriptions()
    {
        using var dispatcher = new DocumentChangeDispatcher();
        var a = new List<DocumentChange>();
        var b = new List<DocumentChange>();
        var c = new List<DocumentChange>();
        IDisposable first = dispatcher.Subscribe("doc", a.Add);
        using IDisposable second = dispatcher.Subscribe("doc", b.Add);
        using IDisposable third = dispatcher.Subscribe("elsewhere", c.Add);
        Assert.Equal(2, dispatcher.DocumentCount);

        dispatcher.Publish(DocumentChange.Committed("doc", 4));
        first.Dispose();
        first.Dispose(); // idempotent
        dispatcher.Publish(DocumentChange.Committed("doc", 5));
        dispatcher.Publish(DocumentChange.Committed("unknown", 1));

        Assert.Equal([DocumentChange.Committed("doc", 4)], a);
        Assert.Equal([DocumentChange.Committed("doc", 4), DocumentChange.Committed("doc", 5)], b);
        Assert.Empty(c);
    }

    [Fact]
    public void Publish_Resync_ReachesEverySubscription()
    {
        using var dispatcher = new DocumentChangeDispatcher();
        int count = 0;
        using IDisposable one = dispatcher.Subscribe("x", _ => count++);
        using IDisposable two = dispatcher.Subscribe("y", _ => count++);
        using IDisposable three = dispatcher.Subscribe("y", _ => count++);
        dispatcher.Publish(DocumentChange.Resync);
        Assert.Equal(3, count);
    }

    [Fact]
    public void Publish_ThrowingSubscriber_DoesNotSilenceTheOthers()
    {
        using var dispatcher = new DocumentChangeDispatcher();
        var seen = new List<DocumentChange>();
        using IDisposable bad = dispatcher.Subscribe("doc", _ => throw new InvalidOperationException("bug in a subscriber"));
        using IDisposable good = dispatcher.Subscribe("doc", seen.Add);
        dispatcher.Publish(DocumentChange.Committed("doc", 1));
        Assert.Single(seen);
        Assert.Equal(1, dispatcher.CallbackFailures);
    }

    [Fact]
    public void Subscribe_InvalidArguments_Throw()
    {
        using var dispatcher = new DocumentChangeDispatcher();
        Assert.Throws<ArgumentException>(() => dispatcher.Subscribe(string.Empty, _ => { }));
        Assert.Throws<ArgumentNullException>(() => dispatcher.Subscribe("doc", null!));
        Assert.Throws<ArgumentException>(() => new DocumentChange(DocumentChangeKind.Committed, null, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DocumentChange.Committed("doc", -1));
        dispatcher.Dispose();
        Assert.Throws<ObjectDisposedException>(() => dispatcher.Subscribe("doc", _ => { }));
    }
}
