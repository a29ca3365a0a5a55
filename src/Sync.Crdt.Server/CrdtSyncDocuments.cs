using System;
using Sync.Crdt.Server.Hosting;

namespace Sync.Crdt.Server;

/// <summary>The sync endpoint's loaded documents, for the application and for store integrations (a singleton in DI).</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class CrdtSyncDocuments
{
    private readonly DocumentRegistry _registry;

    internal CrdtSyncDocuments(DocumentRegistry registry)
    {
        _registry = registry;
    }

    /// <summary>The number of documents loaded in memory. O(1).</summary>
    public int LoadedCount => _registry.OpenDocuments;

    /// <summary>
    /// Tells the server that another process committed to <paramref name="document"/> in the shared store (for example
    /// a change notification from a database): if the document is loaded, it re-reads the store's log from the position
    /// it last knew, applies what it finds and forwards it to its clients. Unloaded documents need nothing: they load
    /// the latest state when next opened.
    /// </summary>
    /// <param name="document">The document name.</param>
    /// <returns><see langword="true"/> when a loaded document was asked to re-read.</returns>
    public bool NotifyExternalCommit(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return _registry.NotifyExternalCommit(document);
    }
}
