using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Testing;
using Sync.Crdt.TestSupport.Conformance;

namespace Sync.Crdt.Tests.Conformance;

/// <summary>An increment (amount 0 now and then: a no-op).</summary>
public sealed class GCounterConformance : CrdtConformance<GCounter, long>
{
    protected override CrdtGen<long> Operations => CrdtGen.Frequency((1, CrdtGen.Constant(0L)), (6, CrdtGen.Int64(1, 1000)));

    protected override GCounter GoldenValue => GCounter.Empty.Increment("a", 5).Increment("b", 3).Increment("東京", long.MaxValue - 8);

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("gcounter");

    protected override GCounter Apply(GCounter state, ReplicaId replica, long operation, out GCounter delta) =>
        state.Increment(replica, operation, out delta);

    protected override object? Observe(GCounter state) => state.Value;

    /// <summary>The sum of the increments seen.</summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<long>> seen) => seen.Sum(e => e.Operation);
}

public sealed record CounterOp(bool Decrement, long Amount)
{
    public override string ToString() => (Decrement ? "-" : "+") + Amount;
}

public sealed class PNCounterConformance : CrdtConformance<PNCounter, CounterOp>
{
    protected override CrdtGen<CounterOp> Operations =>
        from decrement in CrdtGen.Boolean()
        from amount in CrdtGen.Frequency((1, CrdtGen.Constant(0L)), (6, CrdtGen.Int64(1, 1000)))
        select new CounterOp(decrement, amount);

    protected override PNCounter GoldenValue => PNCounter.Empty.Increment("a", 10).Decrement("b", 4).Decrement("a", 1);

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("pncounter");

    protected override PNCounter Apply(PNCounter state, ReplicaId replica, CounterOp operation, out PNCounter delta) =>
        operation.Decrement ? state.Decrement(replica, operation.Amount, out delta) : state.Increment(replica, operation.Amount, out delta);

    protected override object? Observe(PNCounter state) => state.Value;

    /// <summary>Increments minus decrements seen.</summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<CounterOp>> seen) =>
        seen.Sum(e => e.Operation.Decrement ? -e.Operation.Amount : e.Operation.Amount);
}
