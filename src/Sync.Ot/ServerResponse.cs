using System;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// The server's answer to a <see cref="ClientSubmission"/>: either the operation as applied (send its revision back
/// to the author as the acknowledgement and broadcast it to everyone else), or a rejection saying why; after a
/// rejection the server's document and history are exactly as before.
/// </summary>
/// <remarks>Equality is structural (ordinal message). This type is immutable and thread-safe.</remarks>
[Immutable]
public sealed class ServerResponse : IEquatable<ServerResponse>
{
    private ServerResponse(RevisionedOperation? applied, ProtocolError error, string message, DocumentSnapshot? snapshot)
    {
        Applied = applied;
        Error = error;
        Message = message;
        Snapshot = snapshot;
    }

    /// <summary>Gets a value indicating whether the server applied the operation.</summary>
    [MemberNotNullWhen(true, nameof(Applied))]
    public bool IsAccepted => Applied is not null;

    /// <summary>Gets the operation as transformed and applied, with its new revision; <see langword="null"/> when rejected.</summary>
    public RevisionedOperation? Applied { get; }

    /// <summary>Gets why the submission was rejected; <see cref="ProtocolError.None"/> when accepted.</summary>
    public ProtocolError Error { get; }

    /// <summary>Gets a human-readable explanation of the rejection; empty when accepted.</summary>
    public string Message { get; }

    /// <summary>
    /// Gets, for <see cref="ProtocolError.ResyncRequired"/>, the current document the client must restart from
    /// (see <see cref="OtClient.Resync"/>); otherwise <see langword="null"/>.
    /// </summary>
    public DocumentSnapshot? Snapshot { get; }

    /// <summary>Returns the applied operation, or throws when the submission was rejected.</summary>
    /// <returns>The applied operation.</returns>
    /// <exception cref="OtProtocolException">The submission was rejected; <see cref="OtProtocolException.Error"/> says why.</exception>
    public RevisionedOperation EnsureAccepted() =>
        Applied ?? throw new OtProtocolException(Error, Message);

    /// <summary>Returns <see langword="true"/> when both responses carry the same outcome, error, message and snapshot.</summary>
    /// <param name="other">The response to compare with.</param>
    /// <returns>Whether the responses are equal.</returns>
    public bool Equals([NotNullWhen(true)] ServerResponse? other) =>
        other is not null
        && Equals(Applied, other.Applied)
        && Error == other.Error
        && string.Equals(Message, other.Message, StringComparison.Ordinal)
        && Equals(Snapshot, other.Snapshot);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as ServerResponse);

    /// <summary>Returns a hash consistent with <see cref="Equals(ServerResponse)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Applied, Error, string.GetHashCode(Message, StringComparison.Ordinal), Snapshot);

    /// <summary>Returns "accepted r{n}" or the rejection.</summary>
    /// <returns>A readable form.</returns>
    public override string ToString() => IsAccepted ? $"accepted {Applied}" : $"rejected ({Error}): {Message}";

    internal static ServerResponse Accept(RevisionedOperation applied) => new(applied, ProtocolError.None, string.Empty, null);

    internal static ServerResponse Reject(ProtocolError error, string message, DocumentSnapshot? snapshot = null) =>
        new(null, error, message, snapshot);
}
