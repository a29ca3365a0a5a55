using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Client;

/// <summary>Options of a <see cref="CrdtSyncClient"/>.</summary>
/// <remarks>Read when the client is created.</remarks>
public sealed partial class CrdtSyncClientOptions
{
    /// <summary>The server's sync endpoint, for example <c>wss://example.com/sync</c>.</summary>
    public Uri? ServerUri { get; set; }

    /// <summary>This client's replica id: unique per device (or per installation), stable across restarts when
    /// <see cref="Store"/> is set.</summary>
    public ReplicaId Replica { get; set; }

    /// <summary>Returns the bearer token sent with every (re)connect, or <see langword="null"/> for none; called on every
    /// attempt so expired tokens are refreshed.</summary>
    public Func<CancellationToken, ValueTask<string?>>? TokenProvider { get; set; }

    /// <summary>The value formats of replicated-values documents (the server's own).</summary>
    public IList<ReplicatedValueFormat> ValueFormats { get; } = [];

    /// <summary>A durable store for local state and pending changes (for example the SQLite store); <see langword="null"/>
    /// keeps everything in memory.</summary>
    public IDocumentStore? Store { get; set; }

    /// <summary>The first reconnect delay (default 250 ms); doubled per failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest reconnect delay (default 30 s).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The seed of the reconnect jitter (each delay is drawn uniformly from half to all of the backoff);
    /// <see langword="null"/> seeds randomly.</summary>
    public int? JitterSeed { get; set; }

    /// <summary>How often presence is refreshed while set (default 10 s; keep it below the server's presence timeout).</summary>
    public TimeSpan PresenceRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for backoff, keepalive and presence (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Adjusts each new socket (headers, proxy, certificates).</summary>
    public Action<ClientWebSocketOptions>? ConfigureSocket { get; set; }

    /// <summary>The largest frame this client accepts (default 16 MiB).</summary>
    public int MaxFrameBytes { get; set; } = 16 << 20;
}
