using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;
using Sync.Crdt.Testing;
using Sync.Crdt.TestSupport.Conformance;

namespace Sync.Crdt.Tests.Conformance;

public enum SetOpKind
{
    Add,
    Remove,
    Clear,
}

public sealed record SetOp(SetOpKind Kind, string Item)
{
    public override string ToString() => Kind == SetOpKind.Clear ? "clear" : Kind.ToString().ToLowerInvariant() + " " + Item;
}

public sealed class ORSetConformance : CrdtConformance<ORSet<string>, SetOp>
{
    protected override CrdtGen<SetOp> Operations =>
        from kind in CrdtGen.Frequency((5, CrdtGen.Constant(SetOpKind.Add)), (3, CrdtGen.Constant(SetOpKind.Remove)), (1, CrdtGen.Constant(SetOpKind.Clear)))
        from item in CrdtGen.Elements("a", "b", "c", "d", "e")
        select new SetOp(kind, item);

    protected override ORSet<string> GoldenValue
    {
        get
        {
            ORSet<string> set = ORSet<string>.Empty.Add("a", "apple").Add("b", "banana").Add("a", "cherry");
            return set.Merge(ORSet<string>.Empty.Add("c", "apple")).Remove("banana");
        }
    }

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("orset");

    protected override ORSet<string> Apply(ORSet<string> state, ReplicaId replica, SetOp operation, out ORSet<string> delta) =>
        operation.Kind switch
        {
            SetOpKind.Add => state.Add(replica, operation.Item, out delta),
            SetOpKind.Remove => state.Remove(operation.Item, out delta),
            _ => state.Clear(out delta),
        };

    protected override object? Observe(ORSet<string> state) => state.Order(StringComparer.Ordinal).ToList();

    /// <summary>Add-wins: an element is present when some add of it was seen by no remove of it and no clear.</summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<SetOp>> seen) =>
        seen.Where(add => add.Operation.Kind == SetOpKind.Add
                          && !seen.Any(other => other.Saw(add)
                                                && (other.Operation.Kind == SetOpKind.Clear
                                                    || (other.Operation.Kind == SetOpKind.Remove && other.Operation.Item == add.Operation.Item))))
            .Select(add => add.Operation.Item)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
}

public enum MapOpKind
{
    Put,
    Remove,
    ExplicitPut,
}

/// <summary>
/// A put or remove with the replica's clock (a fresh Lamport clock: one past the key's time), or a put with an explicit
/// timestamp of writer x0..x1 at time 0..5 whose value is fixed by the timestamp (a timestamp names one write).
/// </summary>
public sealed record MapOp(MapOpKind Kind, string Key, int Value, long Time, int Writer)
{
    public LWWTimestamp Timestamp => new(Time, "x" + Writer.ToString(CultureInfo.InvariantCulture));

    public string PutValue => "v" + Value.ToString(CultureInfo.InvariantCulture);

    public string ExplicitValue => "t" + Time.ToString(CultureInfo.InvariantCulture) + "x" + Writer.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Kind switch
    {
        MapOpKind.Put => $"put {Key}={PutValue}",
        MapOpKind.Remove => $"remove {Key}",
        _ => $"put {Key}={ExplicitValue} at {Timestamp}",
    };
}

public sealed class LWWMapConformance : CrdtConformance<LWWMap<string, string>, MapOp>
{
    protected override CrdtGen<MapOp> Operations =>
        from kind in CrdtGen.Frequency((4, CrdtGen.Constant(MapOpKind.Put)), (2, CrdtGen.Constant(MapOpKind.Remove)), (2, CrdtGen.Constant(MapOpKind.ExplicitPut)))
        from key in CrdtGen.Elements("k", "l", "m")
        from value in CrdtGen.Int32(0, 9)
        from time in CrdtGen.Int64(0, 5)
        from writer in CrdtGen.Int32(0, 1)
        select new MapOp(kind, key, value, time, writer);

    protected override LWWMap<string, string> GoldenValue =>
        LWWMap<string, string>.Empty
            .Put(new LWWTimestamp(10, "a"), "title", "Sync")
            .Put(new LWWTimestamp(11, "b"), "owner", "ana")
            .Put(new LWWTimestamp(12, "a"), "draft", "yes")
            .Remove(new LWWTimestamp(13, "b"), "draft");

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("lwwmap");

    protected override LWWMap<string, string> Apply(LWWMap<string, string> state, ReplicaId replica, MapOp operation, out LWWMap<string, string> delta) =>
        operation.Kind switch
        {
            MapOpKind.Put => state.Put(replica, operation.Key, operation.PutValue, new LamportClock(), out delta),
            MapOpKind.Remove => state.Remove(replica, operation.Key, new LamportClock(), out delta),
            _ => state.Put(operation.Timestamp, operation.Key, operation.ExplicitValue, out delta),
        };

    protected override object? Observe(LWWMap<string, string> state) =>
        state.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => (entry.Key, entry.Value)).ToList();

    /// <summary>
    /// Per key, the seen write (put or remove) with the greatest timestamp. A clock write's time is one past the key's
    /// current write where it ran; a remove of an absent key writes nothing.
    /// </summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<MapOp>> seen)
    {
        var times = new Dictionary<int, LWWTimestamp>();
        var winners = new Dictionary<string, (LWWTimestamp Timestamp, MapOp Op)>(StringComparer.Ordinal);
        foreach (CrdtEvent<MapOp> e in seen)
        {
            // The key's current write where the operation ran: the greatest write of the key it had seen.
            (LWWTimestamp Timestamp, MapOp Op)? current = null;
            foreach (CrdtEvent<MapOp> earlier in seen)
            {
                if (e.Saw(earlier) && earlier.Operation.Key == e.Operation.Key && times.TryGetValue(earlier.Index, out LWWTimestamp t)
                    && (current is not { } c || t > c.Timestamp))
                {
                    current = (t, earlier.Operation);
                }
            }

            if (e.Operation.Kind == MapOpKind.Remove && current is not { Op.Kind: not MapOpKind.Remove })
            {
                continue; // removing an absent key is a no-op: it writes no tombstone
            }

            LWWTimestamp timestamp = e.Operation.Kind == MapOpKind.ExplicitPut
                ? e.Operation.Timestamp
                : new LWWTimestamp((current?.Timestamp.Time ?? 0) + 1, e.Replica);
            times[e.Index] = timestamp;
            if (!winners.TryGetValue(e.Operation.Key, out var winner) || timestamp > winner.Timestamp)
            {
                winners[e.Operation.Key] = (timestamp, e.Operation);
            }
        }

        return winners
            .Where(w => w.Value.Op.Kind != MapOpKind.Remove)
            .OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => (w.Key, w.Value.Op.Kind == MapOpKind.Put ? w.Value.Op.PutValue : w.Value.Op.ExplicitValue))
            .ToList();
    }
}
