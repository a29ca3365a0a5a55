using System;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Server.Hosting;

/// <summary>What every document host shares.</summary>
internal sealed class HostServices
{
    public HostServices(CrdtSyncOptions options, IDocumentStore store, CrdtSyncMetrics metrics, ILogger logger, TimeProvider time, DocumentRegistry registry, IDocumentChangeFeed? changeFeed)
    {
        ChangeFeed = changeFeed;
        Options = options;
        Store = store;
        Metrics = metrics;
        Logger = logger;
        Time = time;
        Registry = registry;
        Serializer = new ReplicationSerializer(options.ValueFormats);
    }

    public CrdtSyncOptions Options { get; }

    /// <summary>Signals commits by other nodes (registered by a shared store such as PostgreSQL), if any.</summary>
    public IDocumentChangeFeed? ChangeFeed { get; }

    public IDocumentStore Store { get; }

    public CrdtSyncMetrics Metrics { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public DocumentRegistry Registry { get; }

    public ReplicationSerializer Serializer { get; }
}
