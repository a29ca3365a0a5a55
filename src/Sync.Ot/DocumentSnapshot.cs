using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>The server's document at one revision: what a new or resynchronizing client starts from.</summary>
/// <remarks>Equality is structural (ordinal text). This type is immutable and thread-safe.</remarks>
[Immutable]
public sealed class DocumentSnapshot : IEquatable<DocumentSnapshot>
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="revision">The revision; zero or more.</param>
    /// <param name="text">The document at that revision: well-formed UTF-16.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    public DocumentSnapshot(long revision, string text)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        ArgumentNullException.ThrowIfNull(text);
        CodePointLength = CodePointText.CountValid(text, nameof(text));
        Revision = revision;
        Text = text;
    }

    /// <summary>Gets the revision of the document.</summary>
    public long Revision { get; }

    /// <summary>Gets the document text.</summary>
    public string Text { get; }

    /// <summary>Gets the document length in code points.</summary>
    public int CodePointLength { get; }

    /// <summary>Returns <see langword="true"/> when both snapshots have the same revision and text.</summary>
    /// <param name="other">The snapshot to compare with.</param>
    /// <returns>Whether the snapshots are equal.</returns>
    public bool Equals([NotNullWhen(true)] DocumentSnapshot? other) =>
        other is not null && Revision == other.Revision && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as DocumentSnapshot);

    /// <summary>Returns a hash consistent with <see cref="Equals(DocumentSnapshot)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Revision, string.GetHashCode(Text, StringComparison.Ordinal));

    /// <summary>Returns the revision and length.</summary>
    /// <returns>A readable form.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"r{Revision} ({CodePointLength} code points)");
}
