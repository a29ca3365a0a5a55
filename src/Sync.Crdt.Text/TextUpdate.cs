using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Text;

/// <summary>
/// An encoded update of a <see cref="TextDocument"/>: inserted items and deleted ranges, in the byte format of
/// docs/text.md. Produced by local edits and <see cref="TextDocument.EncodeStateAsUpdate"/>, consumed by
/// <see cref="TextDocument.ApplyUpdate(TextUpdate)"/> on any replica of the same document.
/// </summary>
/// <remarks>
/// An update is an immutable byte string (a struct over one array, so a local edit allocates only the bytes). Creating one
/// from bytes copies them and does not validate them; a document validates an update completely when applying it.
/// Equality is byte-wise (two updates with the same effect may be encoded differently); the hash agrees with equality.
/// The <see langword="default"/> value is the same as <see cref="Empty"/>. Thread-safe.
/// </remarks>
[Immutable]
public readonly struct TextUpdate : IEquatable<TextUpdate>
{
    private static readonly byte[] EmptyBytes = [Internal.UpdateFormat.Version, 0, 0, 0, 0];

    private readonly byte[]? _bytes;

    internal TextUpdate(byte[] bytes)
    {
        _bytes = bytes;
    }

    /// <summary>Gets the empty update (no items, no deletes); applying it changes nothing. Its encoding is 5 bytes.</summary>
    public static TextUpdate Empty => new(EmptyBytes);

    /// <summary>Gets the encoded bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes ?? EmptyBytes;

    /// <summary>Gets the encoded size in bytes.</summary>
    public int Length => (_bytes ?? EmptyBytes).Length;

    /// <summary>Returns <see langword="true"/> when both updates have the same bytes.</summary>
    /// <param name="left">The first update.</param>
    /// <param name="right">The second update.</param>
    public static bool operator ==(TextUpdate left, TextUpdate right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the updates' bytes differ.</summary>
    /// <param name="left">The first update.</param>
    /// <param name="right">The second update.</param>
    public static bool operator !=(TextUpdate left, TextUpdate right) => !left.Equals(right);

    /// <summary>Creates an update from bytes received from another replica (copied, not validated).</summary>
    /// <param name="bytes">The encoded update.</param>
    /// <returns>The update.</returns>
    public static TextUpdate FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>Returns a copy of the encoded bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>Returns <see langword="true"/> when both updates have the same bytes.</summary>
    /// <param name="other">The other update.</param>
    /// <returns>Whether the encodings are equal.</returns>
    public bool Equals(TextUpdate other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TextUpdate other && Equals(other);

    /// <summary>Returns a hash of the bytes, consistent with <see cref="Equals(TextUpdate)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>Returns a short description: the encoded size.</summary>
    /// <returns>For example <c>TextUpdate(12 bytes)</c>.</returns>
    public override string ToString() => $"TextUpdate({Length} bytes)";
}
