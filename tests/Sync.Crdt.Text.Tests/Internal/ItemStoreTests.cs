using System;
using System.Collections.Generic;
using System.Text;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text.Tests.Internal;

public class ItemStoreTests
{
    [Fact]
    public void RandomLocalEdits_TextIdsAndIndexAgreeWithAModel() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            var store = new ItemStore();
            int client = store.ClientNumber(new ReplicaId("me"));
            var text = new StringBuilder();
            var ids = new List<int>(); // the clock of every visible code unit, in order
            int nextClock = 0;
            var deleted = new DeleteSet();
            for (int step = 0; step < 300; step++)
            {
                if (text.Length > 0 && random.Next(3) == 0)
                {
                    int index = random.Next(text.Length);
                    int length = 1 + random.Next(Math.Min(6, text.Length - index));
                    deleted.Clear();
                    store.DeleteVisible(index, length, deleted);
                    int total = 0;
                    foreach (DeleteRange range in deleted.Ranges)
                    {
                        Assert.Equal(client, range.Client);
                        for (int k = 0; k < range.Length; k++)
                        {
                            Assert.Equal(ids[index + total + k], range.Clock + k);
                        }

                        total += range.Length;
                    }

                    Assert.Equal(length, total);
                    text.Remove(index, length);
                    ids.RemoveRange(index, length);
                }
                else
                {
                    int index = random.Next(text.Length + 1);
                    string insert = new string((char)('a' + random.Next(26)), 1 + random.Next(3));
                    int clock = store.InsertLocal(client, index, insert, out ItemOrigins origins);
                    Assert.Equal(nextClock, clock);
                    Assert.Equal(index == 0 ? -1 : client, origins.LeftClient);
                    if (index > 0)
                    {
                        Assert.Equal(ids[index - 1], origins.LeftClock);
                    }

                    text.Insert(index, insert);
                    for (int k = 0; k < insert.Length; k++)
                    {
                        ids.Insert(index + k, clock + k);
                    }

                    nextClock += insert.Length;
                }

                Assert.Equal(text.Length, store.Length);
            }

            Assert.Equal(nextClock, store.Client(client).Next);
            var visible = new StringBuilder();
            for (int h = store.Head; h >= 0; h = store[h].Right)
            {
                if (store[h].Content >= 0)
                {
                    visible.Append(store.Content(store[h].Content, store[h].Length).Span);
                }
            }

            Assert.Equal(text.ToString(), visible.ToString());
            for (int i = 0; i < text.Length; i++)
            {
                int item = store.Locate(i, out int offset, out _);
                Assert.Equal(text[i], store.CharAt(item, offset));
                Assert.Equal(ids[i], store[item].Clock + offset);
                Assert.Equal(i - offset, store.IndexOfItem(item));
                int found = store.FindItem(client, ids[i]);
                Assert.Equal(item, found);
            }

            // Every clock, deleted ones included, is found in the item that holds it.
            for (int clock = 0; clock < nextClock; clock++)
            {
                int item = store.FindItem(client, clock);
                Assert.InRange(clock, store[item].Clock, store[item].Clock + store[item].Length - 1);
            }
        }, iterations: 60);

    [Fact]
    public void ManyItems_SplitIntoChunks_LocateStillFindsEveryIndex()
    {
        var store = new ItemStore();
        int a = store.ClientNumber(new ReplicaId("a"));
        int b = store.ClientNumber(new ReplicaId("b"));
        var expected = new StringBuilder();
        for (int i = 0; i < 500; i++)
        {
            // Alternate clients so that nothing merges: 500 items, many chunks.
            int client = i % 2 == 0 ? a : b;
            char c = (char)('A' + (i % 26));
            store.InsertLocal(client, i, c.ToString(), out _);
            expected.Append(c);
        }

        Assert.Equal(500, store.ItemCount);
        for (int i = 499; i >= 0; i -= 7)
        {
            int item = store.Locate(i, out int offset, out _);
            Assert.Equal(expected[i], store.CharAt(item, offset));
            Assert.Equal(i, store.IndexOfItem(item));
        }
    }

    [Fact]
    public void InsertLocal_TypingForward_ExtendsOneItem_AndInsideAPairThrows()
    {
        var store = new ItemStore();
        int client = store.ClientNumber(new ReplicaId("a"));
        store.InsertLocal(client, 0, "ab", out _);
        store.InsertLocal(client, 2, "c", out ItemOrigins origins);
        Assert.Equal(1, store.ItemCount);
        Assert.Equal(new ItemOrigins(client, 1, -1, 0), origins);

        store.InsertLocal(client, 1, "\U0001F600", out _);
        Assert.Throws<ArgumentException>(() => store.InsertLocal(client, 2, "x", out _));
        Assert.Equal(5, store.Length);
    }

    [Fact]
    public void DeleteClocks_HalfOfASurrogatePair_DeletesTheWholePair()
    {
        var store = new ItemStore();
        int client = store.ClientNumber(new ReplicaId("a"));
        store.InsertLocal(client, 0, "a\U0001F600b\U0001F680c", out _); // a, H, L, b, H, L, c: clocks 0..6

        store.DeleteClocks(client, 2, 3);   // only the low half of the first pair
        Assert.Equal("ab\U0001F680c", Text(store));

        store.DeleteClocks(client, 3, 5);   // b and the high half of the second pair
        Assert.Equal("ac", Text(store));
        Assert.Equal(2, store.Length);
    }

    [Fact]
    public void DeleteClocks_WholeItemsAndPartsOfItems_MergesDeletedRunsBack()
    {
        var store = new ItemStore();
        int client = store.ClientNumber(new ReplicaId("a"));
        store.InsertLocal(client, 0, "0123456789", out _);
        store.DeleteClocks(client, 2, 4);
        store.DeleteClocks(client, 4, 6);
        store.DeleteClocks(client, 3, 5); // already deleted: no change

        Assert.Equal("016789", Text(store));
        Assert.Equal(3, store.ItemCount); // "01", deleted "2345", "6789"
        var ids = new List<(ReplicaId, int, bool)>();
        store.CollectIds(ids);
        Assert.Equal(10, ids.Count);
        Assert.True(ids[4].Item3);
        Assert.False(ids[6].Item3);
    }

    [Fact]
    public void CopyText_SkipsDeletedItems()
    {
        var store = new ItemStore();
        int client = store.ClientNumber(new ReplicaId("a"));
        store.InsertLocal(client, 0, "hello world", out _);
        store.DeleteClocks(client, 2, 4);
        var buffer = new char[5];
        store.CopyText(1, 5, buffer);
        Assert.Equal("eo wo", new string(buffer));
    }

    [Fact]
    public void Compaction_DropsDeletedContent_AndKeepsText()
    {
        var store = new ItemStore();
        int client = store.ClientNumber(new ReplicaId("a"));
        store.InsertLocal(client, 0, new string('d', 1000), out _);
        var deleted = new DeleteSet();
        store.DeleteVisible(0, 1000, deleted);
        for (int i = 0; i < 3000; i++)
        {
            store.InsertLocal(client, i, "t", out _);
        }

        Assert.True(store.StoredContentLength < 4000, store.StoredContentLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new string('t', 3000), Text(store));
    }

    internal static string Text(ItemStore store)
    {
        var text = new StringBuilder();
        for (int h = store.Head; h >= 0; h = store[h].Right)
        {
            if (store[h].Content >= 0)
            {
                text.Append(store.Content(store[h].Content, store[h].Length).Span);
            }
        }

        return text.ToString();
    }
}
