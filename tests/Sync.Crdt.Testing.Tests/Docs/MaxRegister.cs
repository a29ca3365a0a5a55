using System;
using System.Globalization;
using Sync.Crdt;

namespace Sync.Crdt.Testing.Tests.Docs;

// docs/testing-your-types.md, "A type of your own": a register that keeps the largest value written.
public sealed class MaxRegister : IMergeable<MaxRegister>, IEquatable<MaxRegister>
{
    public static readonly MaxRegister Empty = new(0);

    public MaxRegister(int value) => Value = value;

    public int Value { get; }

    // The join: the larger value. Returns an operand, never a copy, so "nothing new" is a reference check.
    public MaxRegister Merge(MaxRegister other) => other.Value > Value ? other : this;

    // A write: the new value is its own delta.
    public MaxRegister Raise(int value, out MaxRegister delta)
    {
        delta = value > Value ? new MaxRegister(value) : Empty;
        return value > Value ? delta : this;
    }

    public bool Equals(MaxRegister? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as MaxRegister);

    public override int GetHashCode() => Value;

    public override string ToString() => "Max(" + Value.ToString(CultureInfo.InvariantCulture) + ")";
}

// docs/testing-your-types.md, "A buggy type": "the incoming value wins" is not a join.
public sealed class LastReceivedRegister : IMergeable<LastReceivedRegister>, IEquatable<LastReceivedRegister>
{
    public LastReceivedRegister(int value) => Value = value;

    public int Value { get; }

    public LastReceivedRegister Merge(LastReceivedRegister other) => other.Value == Value ? this : other;

    public bool Equals(LastReceivedRegister? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as LastReceivedRegister);

    public override int GetHashCode() => Value;

    public override string ToString() => "Last(" + Value.ToString(CultureInfo.InvariantCulture) + ")";
}
