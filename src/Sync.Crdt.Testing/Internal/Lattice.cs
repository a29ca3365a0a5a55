using System;
using System.Text;

namespace Sync.Crdt.Testing.Internal;

/// <summary>The settings of one check and the assertions every law uses.</summary>
internal sealed class Lattice<T>
    where T : class, IMergeable<T>, IEquatable<T>
{
    public Lattice(T? empty, Func<T, string>? format, bool sameInstance, int maxReplicas, int maxSteps)
    {
        Empty = empty;
        Format = format;
        SameInstance = sameInstance;
        MaxReplicas = maxReplicas;
        MaxSteps = maxSteps;
    }

    public T? Empty { get; }

    public Func<T, string>? Format { get; }

    public bool SameInstance { get; }

    public int MaxReplicas { get; }

    public int MaxSteps { get; }

    public T RequireEmpty(string law) =>
        Empty ?? throw new InvalidOperationException($"The law '{law}' needs the empty value: call WithEmpty (CrdtCheck.ForCrdt sets it).");

    public string Show(T? value) => value is null ? "null" : Format is null ? Display.Format(value) : Format(value);

    public T Merge(T left, T right)
    {
        T result = left.Merge(right);
        return result ?? throw new LawViolationException($"Merge returned null for {Show(left)} ⊔ {Show(right)}.");
    }

    public T Note(GenContext context, string name, T value)
    {
        context.Note(name, Show(value));
        return value;
    }

    /// <summary>Asserts equality through IEquatable both ways, object.Equals and the hash code.</summary>
    public void Equal(string rule, T expected, T actual, string expectedLabel = "expected", string actualLabel = "actual")
    {
        if (!expected.Equals(actual) || !actual.Equals(expected))
        {
            int width = Math.Max(expectedLabel.Length, actualLabel.Length) + 1;
            throw new LawViolationException(new StringBuilder(rule).AppendLine(" does not hold:")
                .Append("  ").Append((expectedLabel + ":").PadRight(width)).Append(' ').AppendLine(Show(expected))
                .Append("  ").Append((actualLabel + ":").PadRight(width)).Append(' ').Append(Show(actual)).ToString());
        }

        if (!expected.Equals((object)actual))
        {
            throw new LawViolationException($"{rule}: Equals(object) disagrees with Equals(T) for {Show(expected)}.");
        }

        if (expected.GetHashCode() != actual.GetHashCode())
        {
            throw new LawViolationException($"{rule}: equal values have different hash codes: {Show(expected)} and {Show(actual)}.");
        }
    }

    /// <summary>With the same-instance rules on, asserts that <paramref name="actual"/> is <paramref name="expected"/> itself.</summary>
    public void Same(string rule, T expected, T actual)
    {
        if (SameInstance && !ReferenceEquals(expected, actual))
        {
            throw new LawViolationException($"{rule}: expected the same instance back, got an equal copy of {Show(expected)} (same-instance rule; turn it off with WithoutSameInstanceRules).");
        }
    }
}
