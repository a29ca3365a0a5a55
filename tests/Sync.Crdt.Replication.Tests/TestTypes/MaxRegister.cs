using System;

namespace Sync.Crdt.Replication.Tests.TestTypes;

/// <summary>A test-only register whose merge keeps the larger number.</summary>
public sealed class MaxRegister : IMergeable<MaxRegister>, IEquatable<MaxRegister>
{
    public static readonly MaxRegister Empty = new(0);

    public MaxRegister(long value) => Value = value;

    public long Value { get; }

    public MaxRegister Set(long value, out MaxRegister delta)
    {
        delta = new MaxRegister(value);
        return value > Value ? delta : this;
    }

    public MaxRegister Merge(MaxRegister other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Value > Value ? other : this;
    }

    public bool Equals(MaxRegister? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as MaxRegister);

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => $"Max({Value})";
}
