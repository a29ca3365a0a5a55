using System;
using System.Collections.Generic;
using System.Threading;

namespace Sync.Crdt.Client;

/// <content>Failover between several server nodes of one deployment.</content>
public sealed partial class CrdtSyncClientOptions
{
    /// <summary>
    /// Other endpoints of the same deployment (other server nodes sharing the documents, for example through the PostgreSQL
    /// store), tried in turn after <see cref="ServerUri"/>: each time a connection attempt fails (refused, timed out,
    /// dropped before the server's welcome) the next reconnect goes to the next endpoint, wrapping around. A connection
    /// that was welcomed and then lost is retried once on the same endpoint first. Empty by default (only
    /// <see cref="ServerUri"/>). Every document resumes from its handshake on whichever node answers, so pending changes
    /// are sent again and nothing acknowledged is lost.
    /// </summary>
    public IList<Uri> FailoverServerUris { get; } = [];

    /// <summary>
    /// How long one connection attempt may take until the server's welcome (TCP, WebSocket upgrade, hello), so a node
    /// that accepts connections but does not answer (frozen, overloaded) counts as a failed attempt and the client moves
    /// on to the next endpoint. Default 15 s; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
