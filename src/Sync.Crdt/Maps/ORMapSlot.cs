using System;
using System.Globalization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Maps;

/// <summary>
/// What one key of an <see cref="ORMap{TKey, TValue}"/> holds, independent of the value type so the merge-join calls
/// its joiner directly: the dots (updates) that keep the key alive, sorted and non-empty, each with the incarnation
/// its writer's nested updates were made under. The typed values live in <see cref="ORMapSlot{TValue}"/>.
/// </summary>
[Immutable]
internal abstract class ORMapSlot
{
    // A slot of one update (almost every key) holds its incarnation inline, not in a one-element array.
    private readonly long[]? _incarnations;
    private readonly long _incarnation;

    protected ORMapSlot(Dot[] dots, long[] incarnations)
    {
        Dots = dots;
        if (incarnations.Length == 1)
        {
            _incarnation = incarnations[0];
        }
        else
        {
            _incarnations = incarnations;
        }
    }

    protected ORMapSlot(Dot[] dots, long incarnation)
    {
        Dots = dots;
        _incarnation = incarnation;
    }

    /// <summary>Gets the dots that keep the key alive, strictly increasing; never mutated.</summary>
    public Dot[] Dots { get; }

    /// <summary>Gets, per dot, the counter of the update that started its writer's current lineage of the key (1 ≤ incarnation ≤ dot counter).</summary>
    public ReadOnlySpan<long> Incarnations => _incarnations is null ? new ReadOnlySpan<long>(in _incarnation) : _incarnations;

    /// <summary>
    /// Returns a slot holding exactly <paramref name="dots"/> (strictly increasing, each held by this slot or by
    /// <paramref name="other"/>), taking every dot's incarnation and value from the slot that holds it.
    /// </summary>
    public abstract ORMapSlot Select(Dot[] dots, ORMapSlot? other);

    /// <summary>Returns whether both slots hold the same dots, incarnations and values.</summary>
    public abstract bool SameAs(ORMapSlot other);

    /// <summary>
    /// Returns the replica id nested values are written under by <paramref name="replica"/> in the lineage started by
    /// its update <paramref name="incarnation"/>: <c>replica#incarnation</c>. Each lineage gets a fresh id, so a value
    /// rebuilt after a remove never reuses the nested dots or counter entries of the value it replaced.
    /// </summary>
    /// <exception cref="ArgumentException">The derived id would exceed <see cref="ReplicaId.MaxLength"/>.</exception>
    public static ReplicaId Writer(ReplicaId replica, long incarnation)
    {
        string value = string.Create(CultureInfo.InvariantCulture, $"{replica.Value}#{incarnation}");
        if (value.Length > ReplicaId.MaxLength)
        {
            throw new ArgumentException(
                $"The replica id '{replica}' is too long to write nested values: an ORMap writes them under 'replica#n', which must fit in {ReplicaId.MaxLength} UTF-16 code units.",
                nameof(replica));
        }

        return new ReplicaId(value);
    }

    /// <summary>Returns the index of <paramref name="dot"/> in <paramref name="dots"/>, or a negative number.</summary>
    protected static int IndexOf(Dot[] dots, Dot dot) => dots.Length == 1 ? (dots[0] == dot ? 0 : -1) : Array.BinarySearch(dots, dot);
}

/// <summary>The slot of a key of an <see cref="ORMap{TKey, TValue}"/> with its typed values and their join (the key's visible value).</summary>
/// <typeparam name="TValue">The nested CRDT type.</typeparam>
[Immutable]
internal sealed class ORMapSlot<TValue> : ORMapSlot
    where TValue : class, ICrdt<TValue>
{
    // A slot of one update holds its value only as the joined Value, not also in a one-element array.
    private readonly TValue[]? _values;
    private readonly TValue _value;

    public ORMapSlot(Dot[] dots, long[] incarnations, TValue[] values)
        : base(dots, incarnations)
    {
        TValue joined = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            joined = joined.Merge(values[i]);
        }

        _values = values.Length == 1 ? null : values;
        _value = joined;
    }

    private ORMapSlot(Dot[] dots, long incarnation, TValue value)
        : base(dots, incarnation)
    {
        _value = value;
    }

    /// <summary>Gets, per dot, the value its update wrote (the writer's whole value of the key at that update).</summary>
    public ReadOnlySpan<TValue> Values => _values is null ? new ReadOnlySpan<TValue>(in _value) : _values;

    /// <summary>Gets the key's visible value: the join of <see cref="Values"/>.</summary>
    public TValue Value => _value;

    /// <summary>Creates the slot of one update (<paramref name="dots"/> holds exactly that update's dot; not copied).</summary>
    public static ORMapSlot<TValue> Single(Dot[] dots, long incarnation, TValue value) => new(dots, incarnation, value);

    /// <summary>Creates the slot of one update.</summary>
    public static ORMapSlot<TValue> Single(Dot dot, long incarnation, TValue value) => new([dot], incarnation, value);

    /// <summary>Returns the incarnation of <paramref name="replica"/>'s latest dot here, or 0 when it holds none.</summary>
    public long IncarnationOf(ReplicaId replica)
    {
        for (int i = Dots.Length - 1; i >= 0; i--)
        {
            if (Dots[i].Replica == replica)
            {
                return Incarnations[i];
            }
        }

        return 0;
    }

    public override ORMapSlot Select(Dot[] dots, ORMapSlot? other)
    {
        var typedOther = (ORMapSlot<TValue>?)other;
        if (dots.Length == 1)
        {
            int own = IndexOf(Dots, dots[0]);
            return own >= 0
                ? new ORMapSlot<TValue>(dots, Incarnations[own], Values[own])
                : new ORMapSlot<TValue>(dots, typedOther!.Incarnations[IndexOf(typedOther.Dots, dots[0])], typedOther.Values[IndexOf(typedOther.Dots, dots[0])]);
        }

        var incarnations = new long[dots.Length];
        var values = new TValue[dots.Length];
        for (int i = 0; i < dots.Length; i++)
        {
            int at = IndexOf(Dots, dots[i]);
            if (at >= 0)
            {
                incarnations[i] = Incarnations[at];
                values[i] = Values[at];
            }
            else
            {
                at = IndexOf(typedOther!.Dots, dots[i]);
                incarnations[i] = typedOther.Incarnations[at];
                values[i] = typedOther.Values[at];
            }
        }

        return new ORMapSlot<TValue>(dots, incarnations, values);
    }

    public override bool SameAs(ORMapSlot other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        var typed = (ORMapSlot<TValue>)other;
        if (!Sets.ElementDots.SequenceEqual(Dots, typed.Dots))
        {
            return false;
        }

        for (int i = 0; i < Dots.Length; i++)
        {
            if (Incarnations[i] != typed.Incarnations[i] || !Values[i].Equals(typed.Values[i]))
            {
                return false;
            }
        }

        return true;
    }
}
