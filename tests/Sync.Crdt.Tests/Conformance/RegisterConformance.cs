using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;
using Sync.Crdt.Testing;
using Sync.Crdt.TestSupport.Conformance;

namespace Sync.Crdt.Tests.Conformance;

/// <summary>
/// An LWW write: with the replica's clock (a fresh Lamport clock, so the time is one past the register's), or with an
/// explicit timestamp of writer x0..x2 at time 0..7 (colliding on purpose: the writer and value tie-breaks).
/// </summary>
public sealed record LWWOp(bool Explicit, long Time, int Writer, string Value)
{
    public LWWTimestamp Timestamp => new(Time, "x" + Writer.ToString(CultureInfo.InvariantCulture));

    public override string ToString() => Explicit ? $"set {Value} at {Timestamp}" : $"set {Value} by clock";
}

public sealed class LWWRegisterConformance : CrdtConformance<LWWRegister<string>, LWWOp>
{
    protected override CrdtGen<LWWOp> Operations =>
        from isExplicit in CrdtGen.Frequency((2, CrdtGen.Constant(false)), (1, CrdtGen.Constant(true)))
        from time in CrdtGen.Int64(0, 7)
        from writer in CrdtGen.Int32(0, 2)
        from value in CrdtGen.Elements("a", "b", "c", "d")
        select new LWWOp(isExplicit, time, writer, value);

    protected override LWWRegister<string> GoldenValue => LWWRegister<string>.Create(new LWWTimestamp(1_732_233_600_123, "device-7"), "hello");

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("lww-register-string");

    protected override LWWRegister<string> Apply(LWWRegister<string> state, ReplicaId replica, LWWOp operation, out LWWRegister<string> delta) =>
        operation.Explicit
            ? state.Set(operation.Timestamp, operation.Value, out delta)
            : state.Set(replica, operation.Value, new LamportClock(), out delta);

    protected override object? Observe(LWWRegister<string> state) => state.IsEmpty ? null : (state.Timestamp, state.Value);

    /// <summary>
    /// Of the writes seen, the greatest (timestamp, value), values in ordinal order; a clock write's time is one past
    /// the greatest time it had seen.
    /// </summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<LWWOp>> seen)
    {
        var times = new Dictionary<int, LWWTimestamp>();
        (LWWTimestamp Timestamp, string Value)? winner = null;
        foreach (CrdtEvent<LWWOp> e in seen)
        {
            long after = 0;
            foreach (int earlier in e.CausalPast)
            {
                if (times.TryGetValue(earlier, out LWWTimestamp t))
                {
                    after = Math.Max(after, t.Time);
                }
            }

            LWWTimestamp timestamp = e.Operation.Explicit ? e.Operation.Timestamp : new LWWTimestamp(after + 1, e.Replica);
            times[e.Index] = timestamp;
            if (winner is not { } w || timestamp > w.Timestamp || (timestamp == w.Timestamp && string.CompareOrdinal(e.Operation.Value, w.Value) > 0))
            {
                winner = (timestamp, e.Operation.Value);
            }
        }

        return winner;
    }
}

public sealed record MVOp(bool Clear, int Value)
{
    public override string ToString() => Clear ? "clear" : "set " + Value.ToString(CultureInfo.InvariantCulture);
}

public sealed class MVRegisterConformance : CrdtConformance<MVRegister<int>, MVOp>
{
    protected override CrdtGen<MVOp> Operations =>
        from clear in CrdtGen.Frequency((4, CrdtGen.Constant(false)), (1, CrdtGen.Constant(true)))
        from value in CrdtGen.Int32(0, 9)
        select new MVOp(clear, value);

    /// <summary>A set delta (its entry, and a context with the dots it replaces).</summary>
    protected override MVRegister<int> GoldenValue
    {
        get
        {
            MVRegister<int>.Empty.Set("a", 1).Merge(MVRegister<int>.Empty.Set("c", 5)).Set("b", 42, out MVRegister<int> delta);
            return delta;
        }
    }

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("mv-register-set-delta");

    protected override MVRegister<int> Apply(MVRegister<int> state, ReplicaId replica, MVOp operation, out MVRegister<int> delta) =>
        operation.Clear ? state.Clear(out delta) : state.Set(replica, operation.Value, out delta);

    protected override object? Observe(MVRegister<int> state) => state.Dots.Zip(state.Values).ToList();

    /// <summary>The writes seen that no seen operation (write or clear) had in its causal past, with their dots, in dot order.</summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<MVOp>> seen)
    {
        var replaced = new HashSet<int>(seen.SelectMany(e => e.CausalPast));
        return seen
            .Where(e => !e.Operation.Clear && !replaced.Contains(e.Index))
            .Select(e => (new Dot(e.Replica, seen.Count(o => o.Replica == e.Replica && !o.Operation.Clear && o.Index <= e.Index)), e.Operation.Value))
            .OrderBy(entry => entry.Item1)
            .ToList();
    }
}
