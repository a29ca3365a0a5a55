using System;
using System.Collections.Generic;
using System.Security.Claims;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Server;

/// <summary>Options of the sync endpoint (<c>services.AddCrdtSync(options =&gt; …)</c>), validated at startup.</summary>
/// <remarks>Read once when the server starts; changing them afterwards has no effect. See docs/server.md.</remarks>
public sealed class CrdtSyncOptions
{
    /// <summary>The largest frame accepted, in bytes (default 1 MiB). Larger messages are rejected while they are read.</summary>
    public int MaxFrameBytes { get; set; } = FrameCodec.DefaultMaxFrameBytes;

    /// <summary>The most documents one connection may have open (default 64).</summary>
    public int MaxDocumentsPerConnection { get; set; } = 64;

    /// <summary>The most frames waiting to be written to one connection (default 1,024); a connection whose queue
    /// overflows is dropped and resumes from its handshake on reconnect.</summary>
    public int MaxQueuedFramesPerConnection { get; set; } = 1024;

    /// <summary>How often a ping is sent on a quiet connection; a client silent for twice as long is dropped
    /// (default 15 s; <see cref="TimeSpan.Zero"/> disables keepalive).</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a document without open channels stays in memory before it is unloaded (default 1 min).</summary>
    public TimeSpan IdleDocumentTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a presence state lives without a refresh (default 30 s).</summary>
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many log records a document writes a snapshot and drops the records it covers (default 1,000).</summary>
    public int SnapshotEveryRecords { get; set; } = 1000;

    /// <summary>How many OT operations a document keeps for transforming late submissions (default 10,000).</summary>
    public int OtHistoryLimit { get; set; } = 10_000;

    /// <summary>The document kinds served (default all).</summary>
    public SyncCapabilities Capabilities { get; set; } = SyncCapabilities.All;

    /// <summary>The replica id the server uses in replication messages (default <c>server</c>). It never creates
    /// events of its own, so it is the same across restarts.</summary>
    public string ServerReplica { get; set; } = "server";

    /// <summary>The value formats of replicated-values documents; clients must register the same ones.</summary>
    public IList<ReplicatedValueFormat> ValueFormats { get; } = [];

    /// <summary>Decides what a user may do with a document; <see langword="null"/> (default) allows everything to
    /// everyone who passed the endpoint's authentication.</summary>
    public Func<DocumentAuthorizationContext, ValueTask<DocumentAccess>>? AuthorizeDocument { get; set; }

    /// <summary>Decides whether a user may use a replica id; <see langword="null"/> (default) allows any id not in use
    /// by another open connection.</summary>
    public Func<ClaimsPrincipal, ReplicaId, bool>? AuthorizeReplica { get; set; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        Check(MaxFrameBytes >= 1024, nameof(MaxFrameBytes), "at least 1,024 bytes");
        Check(MaxDocumentsPerConnection >= 1, nameof(MaxDocumentsPerConnection), "positive");
        Check(MaxQueuedFramesPerConnection >= 16, nameof(MaxQueuedFramesPerConnection), "at least 16");
        Check(KeepaliveInterval >= TimeSpan.Zero, nameof(KeepaliveInterval), "zero or positive");
        Check(IdleDocumentTimeout > TimeSpan.Zero, nameof(IdleDocumentTimeout), "positive");
        Check(PresenceTimeout > TimeSpan.Zero, nameof(PresenceTimeout), "positive");
        Check(SnapshotEveryRecords >= 1, nameof(SnapshotEveryRecords), "positive");
        Check(OtHistoryLimit >= 1, nameof(OtHistoryLimit), "positive");
        Check(ReplicaId.TryParse(ServerReplica, out _), nameof(ServerReplica), "a valid replica id");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"CrdtSyncOptions.{name} must be {rule}.", name);
        }
    }
}
