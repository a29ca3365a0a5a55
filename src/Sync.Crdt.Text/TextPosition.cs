using System;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text;

/// <summary>
/// A stable position in a <see cref="TextDocument"/>: bound to the id of a code unit (or to the start or end of the text)
/// rather than to an index, so that it keeps pointing at the same place while local and remote edits move text around.
/// Create one with <see cref="TextDocument.GetPosition"/> and turn it back into an index with
/// <see cref="TextDocument.TryResolvePosition"/> on any replica that has the code unit.
/// </summary>
/// <remarks>
/// If the bound code unit is deleted, the position resolves to the place where it was. Equality is structural (replica,
/// clock, bias, anchor); the hash agrees with it. The <see langword="default"/> value is <see cref="End"/>. Immutable
/// and thread-safe.
/// </remarks>
[Immutable]
public readonly struct TextPosition : IEquatable<TextPosition>
{
    internal TextPosition(ReplicaId replica, int clock, TextPositionBias bias)
    {
        Replica = replica;
        Clock = clock;
        Bias = bias;
    }

    private TextPosition(TextPositionBias bias)
    {
        Bias = bias;
    }

    /// <summary>
    /// Rebuilds a position from its parts (<see cref="Replica"/>, <see cref="Clock"/>, <see cref="Bias"/>), for example
    /// after sending them over a network. A default <paramref name="replica"/> gives <see cref="Start"/> (bias
    /// <see cref="TextPositionBias.Before"/>) or <see cref="End"/> (bias <see cref="TextPositionBias.After"/>).
    /// </summary>
    /// <param name="replica">The replica that inserted the code unit, or <see langword="default"/> for a text boundary.</param>
    /// <param name="clock">The code unit's clock (non-negative; ignored for a boundary).</param>
    /// <param name="bias">The bias.</param>
    /// <returns>The position; it resolves like the original on every document.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clock"/> is negative or <paramref name="bias"/> is undefined.</exception>
    public static TextPosition FromParts(ReplicaId replica, int clock, TextPositionBias bias)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clock);
        if (bias is not (TextPositionBias.Before or TextPositionBias.After))
        {
            throw new ArgumentOutOfRangeException(nameof(bias), bias, "Unknown bias.");
        }

        if (replica.IsDefault)
        {
            return bias == TextPositionBias.Before ? Start : End;
        }

        return new TextPosition(replica, clock, bias);
    }

    /// <summary>Gets the position at the start of the text (bound to the start).</summary>
    public static TextPosition Start => new(TextPositionBias.Before);

    /// <summary>Gets the position at the end of the text (bound to the end, so it follows text appended there).</summary>
    public static TextPosition End => default;

    /// <summary>Gets the replica that inserted the bound code unit; <see cref="ReplicaId.IsDefault"/> for the start or end.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Gets the clock of the bound code unit (meaningful only when <see cref="Replica"/> is set).</summary>
    public int Clock { get; }

    /// <summary>Gets which neighbour the position is bound to.</summary>
    public TextPositionBias Bias { get; }

    /// <summary>Gets a value indicating whether the position is bound to the start or the end of the text, not to a code unit.</summary>
    public bool IsTextBoundary => Replica.IsDefault;

    /// <summary>Returns <see langword="true"/> when both positions are equal.</summary>
    /// <param name="left">The first position.</param>
    /// <param name="right">The second position.</param>
    public static bool operator ==(TextPosition left, TextPosition right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the positions differ.</summary>
    /// <param name="left">The first position.</param>
    /// <param name="right">The second position.</param>
    public static bool operator !=(TextPosition left, TextPosition right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when both positions name the same code unit (or boundary) with the same bias.</summary>
    /// <param name="other">The other position.</param>
    /// <returns>Whether the positions are equal.</returns>
    public bool Equals(TextPosition other) => Replica == other.Replica && Clock == other.Clock && Bias == other.Bias;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TextPosition other && Equals(other);

    /// <summary>Returns a hash consistent with <see cref="Equals(TextPosition)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Replica, Clock, Bias);

    /// <summary>Returns a description such as <c>After(alice:12)</c>, <c>Start</c> or <c>End</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => IsTextBoundary
        ? (Bias == TextPositionBias.After ? "End" : "Start")
        : $"{Bias}({Replica}:{Clock})";
}
