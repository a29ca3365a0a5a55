using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Tests.Counters;

/// <summary>Argument checks and derived values of the counters that the law and model suites do not reach.</summary>
public class CounterEdgeTests
{
    [Fact]
    public void CreateCodec_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CodecOf<GCounter>(null!));
        Assert.Throws<ArgumentNullException>(() => CodecOf<PNCounter>(null!));
        Assert.NotNull(CodecOf<GCounter>(new CrdtSerializerOptions()));
        Assert.NotNull(CodecOf<PNCounter>(new CrdtSerializerOptions()));
    }

    [Fact]
    public void Create_DefaultReplica_ThrowsArgumentException()
    {
        var counts = new[] { new KeyValuePair<ReplicaId, long>("a", 1), new KeyValuePair<ReplicaId, long>(default, 2) };
        ArgumentException error = Assert.Throws<ArgumentException>(() => GCounter.Create(counts));
        Assert.Equal("counts", error.ParamName);
    }

    [Fact]
    public void PNCounterCreate_NullHalf_ThrowsArgumentNullException()
    {
        Assert.Equal("increments", Assert.Throws<ArgumentNullException>(() => PNCounter.Create(null!, GCounter.Empty)).ParamName);
        Assert.Equal("decrements", Assert.Throws<ArgumentNullException>(() => PNCounter.Create(GCounter.Empty, null!)).ParamName);
    }

    [Fact]
    public void PNCounterIsEmpty_OnlyWhenBothHalvesAreEmpty()
    {
        Assert.True(PNCounter.Empty.IsEmpty);
        Assert.False(PNCounter.Empty.Increment("a").IsEmpty);
        Assert.False(PNCounter.Empty.Decrement("a").IsEmpty);
        Assert.False(PNCounter.Create(GCounter.Empty.Increment("a"), GCounter.Empty).IsEmpty);
        Assert.False(PNCounter.Create(GCounter.Empty, GCounter.Empty.Increment("b")).IsEmpty);
    }

    [Fact]
    public void DropReplica_SubtractsTheDroppedCountFromTheValue()
    {
        GCounter counter = GCounter.Empty.Increment("gone", 5).Increment("keep", 3);

        GCounter dropped = counter.DropReplica("gone");

        Assert.Equal(3, dropped.Value);
        Assert.Equal(GCounter.Empty.Increment("keep", 3), dropped);
        Assert.Equal(-3, PNCounter.Empty.Decrement("gone", 5).Decrement("keep", 3).DropReplica("gone").Value);
    }

    [Fact]
    public void PruneReplica_UpToExactlyInt64Max_Succeeds_OneMoreOverflows()
    {
        GCounter counter = GCounter.Empty.Increment("gone", 10).Increment("keep", long.MaxValue - 10);

        GCounter pruned = counter.PruneReplica("gone", "keep");
        Assert.Equal(long.MaxValue, pruned["keep"]);
        Assert.Equal(long.MaxValue, pruned.Value);

        // Increment caps the total at Int64.MaxValue; a decoded or created counter's total is 128-bit and can exceed it.
        GCounter over = GCounter.Create([new KeyValuePair<ReplicaId, long>("gone", 11), new KeyValuePair<ReplicaId, long>("keep", long.MaxValue - 10)]);
        Assert.Throws<OverflowException>(() => over.PruneReplica("gone", "keep"));
        Assert.Equal(11, over["gone"]);
    }

    private static ICrdtValueCodec<T> CodecOf<T>(CrdtSerializerOptions options)
        where T : class, ICrdt<T> => T.CreateCodec(options);
}
