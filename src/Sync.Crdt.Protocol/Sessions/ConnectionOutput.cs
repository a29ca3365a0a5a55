namespace Sync.Crdt.Protocol.Sessions;

/// <summary>What a <see cref="ConnectionOutput"/> asks the adapter to do.</summary>
internal enum ConnectionOutputKind
{
    /// <summary>Queue <see cref="ConnectionOutput.Frame"/> on the socket.</summary>
    Send,

    /// <summary>Check that the connecting user may use the hello's replica id and that no other connection holds it;
    /// answer with <see cref="ConnectionInputKind.ReplicaClaimed"/>.</summary>
    ClaimReplica,

    /// <summary>Ask the authorization policy for the rights on <see cref="ConnectionOutput.Open"/>'s document; answer
    /// with <see cref="ConnectionInputKind.Authorized"/>.</summary>
    Authorize,

    /// <summary>Take a reference on the document and hand it the open (with <see cref="ConnectionOutput.CanWrite"/>);
    /// answer with <see cref="ConnectionInputKind.Attached"/> or <see cref="ConnectionInputKind.AttachRejected"/>.</summary>
    Attach,

    /// <summary>Hand <see cref="ConnectionOutput.Frame"/> to the document behind <see cref="ConnectionOutput.Tag"/>.</summary>
    Forward,

    /// <summary>Detach the channel behind <see cref="ConnectionOutput.Tag"/> from its document and release it.</summary>
    Detach,

    /// <summary>Release the document behind <see cref="ConnectionOutput.Tag"/> (the document already dropped the channel).</summary>
    Release,

    /// <summary>Stop reading, flush what is queued (the error frame) and close the socket.</summary>
    Close,
}

/// <summary>One output of a <see cref="ConnectionSession"/>.</summary>
internal readonly record struct ConnectionOutput(ConnectionOutputKind Kind, SyncFrame? Frame, OpenFrame? Open, object? Tag, bool CanWrite)
{
    public static ConnectionOutput Send(SyncFrame frame) => new(ConnectionOutputKind.Send, frame, null, null, false);

    public static ConnectionOutput ClaimReplica(HelloFrame hello) => new(ConnectionOutputKind.ClaimReplica, hello, null, null, false);

    public static ConnectionOutput Authorize(OpenFrame open) => new(ConnectionOutputKind.Authorize, null, open, null, false);

    public static ConnectionOutput Attach(OpenFrame open, bool canWrite) => new(ConnectionOutputKind.Attach, null, open, null, canWrite);

    public static ConnectionOutput Forward(object tag, SyncFrame frame) => new(ConnectionOutputKind.Forward, frame, null, tag, false);

    public static ConnectionOutput Detach(object tag) => new(ConnectionOutputKind.Detach, null, null, tag, false);

    public static ConnectionOutput Release(object tag) => new(ConnectionOutputKind.Release, null, null, tag, false);

    public static ConnectionOutput Close() => new(ConnectionOutputKind.Close, null, null, null, false);
}
