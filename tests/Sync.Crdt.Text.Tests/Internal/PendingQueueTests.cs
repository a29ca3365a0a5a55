using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text.Tests.Internal;

public class PendingQueueTests
{
    private static RemoteItem Item(int client, int clock, int length, bool deleted = false) =>
        new() { Client = client, Clock = clock, Length = length, OriginLeftClient = -1, OriginRightClient = -1, Content = deleted ? null : "xxxxxxxx" };

    [Fact]
    public void TryTakeItem_OnlyItemsWaitingForIntegratedClocksOfThatClient()
    {
        var queue = new PendingQueue();
        queue.ParkItem(Item(0, 10, 1), waitClient: 1, waitClock: 5);
        queue.ParkItem(Item(0, 20, 1), waitClient: 1, waitClock: 2);
        queue.ParkItem(Item(0, 30, 1), waitClient: 2, waitClock: 0);
        Assert.Equal(3, queue.ItemCount);

        Assert.False(queue.TryTakeItem(1, next: 2, out _));       // clock 2 of client 1 not integrated yet
        Assert.False(queue.TryTakeItem(0, next: 100, out _));     // nobody waits for client 0
        Assert.True(queue.TryTakeItem(1, next: 3, out RemoteItem first));
        Assert.Equal(20, first.Clock);
        Assert.False(queue.TryTakeItem(1, next: 5, out _));
        Assert.True(queue.TryTakeItem(1, next: 6, out RemoteItem second));
        Assert.Equal(10, second.Clock);
        Assert.Equal(1, queue.Count);
        Assert.False(queue.TryTakeItem(7, next: 100, out _));     // a client beyond every heap
    }

    [Fact]
    public void ParkItem_ExactDuplicate_IsKeptOnce_ButDeletedAndLongerVariantsAreKept()
    {
        var queue = new PendingQueue();
        queue.ParkItem(Item(0, 10, 2), 1, 0);
        queue.ParkItem(Item(0, 10, 2), 1, 0);
        queue.ParkItem(Item(0, 10, 2, deleted: true), 1, 0);
        queue.ParkItem(Item(0, 10, 3), 1, 0);
        Assert.Equal(3, queue.ItemCount);

        int taken = 0;
        while (queue.TryTakeItem(1, 1, out _))
        {
            taken++;
        }

        Assert.Equal(3, taken);
        Assert.Equal(0, queue.Count);

        // Once taken, the same item may be parked again (waiting for something else).
        queue.ParkItem(Item(0, 10, 2), 2, 0);
        Assert.Equal(1, queue.ItemCount);
    }

    [Fact]
    public void Deletes_WaitForTheirFirstClock_AndDuplicatesAreKeptOnce()
    {
        var queue = new PendingQueue();
        queue.ParkDelete(new DeleteRange { Client = 3, Clock = 4, Length = 2 });
        queue.ParkDelete(new DeleteRange { Client = 3, Clock = 4, Length = 2 });
        queue.ParkDelete(new DeleteRange { Client = 3, Clock = 1, Length = 1 });
        Assert.Equal(2, queue.DeleteCount);
        Assert.Equal(2, queue.Count);

        Assert.False(queue.TryTakeDelete(3, next: 1, out _));
        Assert.True(queue.TryTakeDelete(3, next: 2, out DeleteRange first));
        Assert.Equal(1, first.Clock);
        Assert.False(queue.TryTakeDelete(3, next: 4, out _));
        Assert.True(queue.TryTakeDelete(3, next: 5, out DeleteRange second));
        Assert.Equal(4, second.Clock);
        Assert.False(queue.TryTakeDelete(0, next: 100, out _));
        Assert.False(queue.TryTakeDelete(9, next: 100, out _));
        Assert.False(queue.TryTakeDelete(3, next: 100, out _)); // the duplicate was never queued
        Assert.Equal(0, queue.Count);
    }
}
