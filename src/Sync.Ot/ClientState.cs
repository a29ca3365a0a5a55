namespace Sync.Ot;

/// <summary>The state of an <see cref="OtClient"/> with respect to the server.</summary>
public enum ClientState
{
    /// <summary>No local operation is in flight: the client's document is the server's at <see cref="OtClient.Revision"/>.</summary>
    Synchronized = 0,

    /// <summary>One operation was sent and its acknowledgement has not arrived yet.</summary>
    AwaitingConfirm = 1,

    /// <summary>One operation is in flight and later local edits are being composed into a buffer, sent after the acknowledgement.</summary>
    AwaitingWithBuffer = 2,
}
