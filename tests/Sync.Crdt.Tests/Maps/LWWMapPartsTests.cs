using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.Tests.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Maps;

/// <summary>Reading an <see cref="LWWMap{TKey, TValue}"/>'s parts (<c>EnumerateEntries</c>, <c>TryGetEntry</c>) and building it back with <c>Create</c>, as a third-party codec does.</summary>
public class LWWMapPartsTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    [Fact]
    public void Create_FromEnumeratedEntries_EqualsOriginal() =>
        PropertyCheck.ForAll(CrdtGenerators.LWWMap, map =>
        {
            var entries = new List<LWWMapEntry<int, string?>>();
            foreach (LWWMapEntry<int, string?> entry in map.EnumerateEntries())
            {
                entries.Add(entry);
            }

            Assert.Equal(map.Count + map.TombstoneCount, entries.Count);
            entries.Reverse(); // any order is accepted
            EqualityAssert.Equal(map, LWWMap<int, string?>.Create(entries));
        });

    [Fact]
    public void EnumerateEntries_IncludesTombstones_InKeyOrder()
    {
        LWWMap<string, int> map = LWWMap<string, int>.Empty
            .Put(new LWWTimestamp(1, A), "b", 2)
            .Put(new LWWTimestamp(2, B), "a", 1)
            .Remove(new LWWTimestamp(3, A), "b");

        var entries = new List<LWWMapEntry<string, int>>();
        foreach (LWWMapEntry<string, int> entry in map.EnumerateEntries())
        {
            entries.Add(entry);
        }

        Assert.Equal(
            [new LWWMapEntry<string, int>(new LWWTimestamp(2, B), "a", 1), LWWMapEntry<string, int>.Tombstone(new LWWTimestamp(3, A), "b")],
            entries);
        Assert.True(map.TryGetEntry("b", out LWWMapEntry<string, int> b));
        Assert.True(b.IsDeleted);
        Assert.Equal(0, b.Value);
        Assert.False(map.TryGetEntry("c", out _));
    }

    [Fact]
    public void Create_NoEntries_ReturnsEmpty() => Assert.Same(LWWMap<string, int>.Empty, LWWMap<string, int>.Create([]));

    [Fact]
    public void Create_InvalidParts_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => LWWMap<string, int>.Create(null!));
        Assert.Throws<ArgumentException>(() => LWWMap<string, int>.Create([default]));
        Assert.Throws<ArgumentException>(() => LWWMap<string, int>.Create(
            [new LWWMapEntry<string, int>(new LWWTimestamp(1, A), "k", 1), LWWMapEntry<string, int>.Tombstone(new LWWTimestamp(2, A), "k")]));
        Assert.Throws<InvalidOperationException>(() => LWWMap<Unordered, int>.Create([]));
        Assert.Throws<ArgumentException>(() => new LWWMapEntry<string, int>(default, "k", 1));
        Assert.Throws<ArgumentNullException>(() => LWWMapEntry<string, int>.Tombstone(new LWWTimestamp(1, A), null!));
    }

    [Fact]
    public void Create_CustomOrder_KeepsIt()
    {
        IComparer<string> reverse = Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x));

        LWWMap<string, int> map = LWWMap<string, int>.Create(
            [new LWWMapEntry<string, int>(new LWWTimestamp(1, A), "a", 1), new LWWMapEntry<string, int>(new LWWTimestamp(1, A), "b", 2)],
            reverse);

        Assert.Same(reverse, map.Comparer);
        Assert.Equal(["b", "a"], map.Keys.ToArray());
    }

    [Fact]
    public void Entry_Equality_IsStructural()
    {
        var put = new LWWMapEntry<string, string?>(new LWWTimestamp(1, A), "k", "v");
        EqualityAssert.Equal(put, new LWWMapEntry<string, string?>(new LWWTimestamp(1, A), "k", "v"));
        EqualityAssert.NotEqual(put, new LWWMapEntry<string, string?>(new LWWTimestamp(1, B), "k", "v"));
        EqualityAssert.NotEqual(put, new LWWMapEntry<string, string?>(new LWWTimestamp(1, A), "k", "w"));
        EqualityAssert.NotEqual(put, new LWWMapEntry<string, string?>(new LWWTimestamp(1, A), "j", "v"));
        EqualityAssert.NotEqual(LWWMapEntry<string, string?>.Tombstone(new LWWTimestamp(1, A), "k"), new LWWMapEntry<string, string?>(new LWWTimestamp(1, A), "k", null));
        Assert.Equal("k=v @ 1@a", put.ToString());
    }

    [Fact]
    public void Builder_ReturnsWhetherTheMapChanged()
    {
        var clock = new LamportClock();
        LWWMap<string, int> other = LWWMap<string, int>.Empty.Put(new LWWTimestamp(50, B), "z", 26);
        LWWMap<string, int>.Builder builder = LWWMap<string, int>.Empty.ToBuilder();

        Assert.True(builder.Put(A, "k", 1, clock));
        Assert.False(builder.Put(new LWWTimestamp(0, A), "k", 2)); // older than the clocked write
        Assert.True(builder.Merge(other));
        Assert.False(builder.Merge(other));
        Assert.True(builder.Remove(A, "k", clock));
        Assert.False(builder.Remove(A, "k", clock)); // no live value left
        Assert.False(builder.Remove(new LWWTimestamp(1, A), "z")); // older than the put
        Assert.Equal(["z"], builder.ToImmutable().Keys.ToArray());
    }

    private sealed record Unordered(int Id);
}
