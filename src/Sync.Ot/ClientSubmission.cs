using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>What a client sends the server: an operation made on the document at <see cref="BaseRevision"/>.</summary>
/// <remarks>Equality is structural (ordinal client id). This type is immutable and thread-safe.</remarks>
[Immutable]
public sealed class ClientSubmission : IEquatable<ClientSubmission>
{
    /// <summary>Creates a submission.</summary>
    /// <param name="clientId">The id of the submitting client.</param>
    /// <param name="baseRevision">The revision of the document the operation was made on.</param>
    /// <param name="operation">The operation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="clientId"/> or <paramref name="operation"/> is <see langword="null"/>.</exception>
    public ClientSubmission(string clientId, long baseRevision, TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(operation);
        ClientId = clientId;
        BaseRevision = baseRevision;
        Operation = operation;
    }

    /// <summary>Gets the id of the submitting client.</summary>
    public string ClientId { get; }

    /// <summary>Gets the revision of the document the operation was made on (not validated here; the server checks it).</summary>
    public long BaseRevision { get; }

    /// <summary>Gets the operation.</summary>
    public TextOperation Operation { get; }

    /// <summary>Returns <see langword="true"/> when both submissions have the same client, base revision and operation.</summary>
    /// <param name="other">The submission to compare with.</param>
    /// <returns>Whether the submissions are equal.</returns>
    public bool Equals([NotNullWhen(true)] ClientSubmission? other) =>
        other is not null && BaseRevision == other.BaseRevision && string.Equals(ClientId, other.ClientId, StringComparison.Ordinal) && Operation.Equals(other.Operation);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as ClientSubmission);

    /// <summary>Returns a hash consistent with <see cref="Equals(ClientSubmission)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(BaseRevision, string.GetHashCode(ClientId, StringComparison.Ordinal), Operation);

    /// <summary>Returns <c>{client}@r{base}: {operation}</c>.</summary>
    /// <returns>A readable form.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ClientId}@r{BaseRevision}: {Operation}");
}
