using System;
using System.Collections.Generic;
using System.Threading;

namespace Sync.Crdt.Client;

/// <summary>The endpoints a client connects to: <see cref="CrdtSyncClientOptions.ServerUri"/> first, then the
/// failover endpoints in turn, moving on after each failed attempt. Thread-safe (the reconnect loop advances it, the
/// connection reads it).</summary>
internal sealed class ServerEndpoints
{
    private readonly Uri[] _uris;
    private int _current;

    public ServerEndpoints(CrdtSyncClientOptions options)
    {
        var uris = new List<Uri> { options.ServerUri! };
        foreach (Uri uri in options.FailoverServerUris)
        {
            ArgumentNullException.ThrowIfNull(uri, nameof(options));
            uris.Add(uri);
        }

        _uris = [.. uris];
    }

    /// <summary>The endpoint the next attempt connects to.</summary>
    public Uri Current => _uris[Volatile.Read(ref _current)];

    /// <summary>Moves to the next endpoint after a failed attempt (stays put when there is only one).</summary>
    public void AttemptFailed() => Volatile.Write(ref _current, (Volatile.Read(ref _current) + 1) % _uris.Length);
}
