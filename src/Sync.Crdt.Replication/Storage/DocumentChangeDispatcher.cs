using System;
using System.Collections.Generic;
using System.Threading;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// The subscriber table every <see cref="IDocumentChangeFeed"/> needs: subscriptions per document, and
/// <see cref="Publish"/> to deliver a signal to the document's subscribers (or, for a Resync, to everyone). A feed
/// implementation owns one and publishes what its source (an in-process store, a database listener) reports.
/// </summary>
/// <remarks>
/// Thread-safe: subscribing, disposing subscriptions and publishing may run concurrently. Publishing a Committed signal
/// is O(subscribers of the document) and allocates nothing beyond a snapshot of the subscriber list when it changed;
/// a Resync is O(all subscribers). Callbacks run on the publisher's thread; an exception thrown by one is swallowed
/// (counted in <see cref="CallbackFailures"/>) so one subscriber cannot silence the others.
/// </remarks>
[Mutable]
public sealed class DocumentChangeDispatcher : IDocumentChangeFeed, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription[]> _byDocument = new(StringComparer.Ordinal);
    private long _callbackFailures;
    private bool _disposed;

    /// <summary>Gets the number of callbacks that threw so far.</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    /// <summary>Gets the number of documents with at least one subscriber.</summary>
    public int DocumentCount
    {
        get
        {
            lock (_gate)
            {
                return _byDocument.Count;
            }
        }
    }

    /// <inheritdoc />
    public IDisposable Subscribe(string document, Action<DocumentChange> onChange)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentNullException.ThrowIfNull(onChange);
        var subscription = new Subscription(this, document, onChange);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _byDocument[document] = _byDocument.TryGetValue(document, out Subscription[]? existing) ? [.. existing, subscription] : [subscription];
        }

        return subscription;
    }

    /// <summary>Delivers <paramref name="change"/>: a Committed signal to its document's subscribers, a Resync to every subscriber.</summary>
    /// <param name="change">The signal.</param>
    public void Publish(DocumentChange change)
    {
        if (change.Kind == DocumentChangeKind.Resync)
        {
            List<Subscription> everyone = [];
            lock (_gate)
            {
                foreach (Subscription[] subscriptions in _byDocument.Values)
                {
                    everyone.AddRange(subscriptions);
                }
            }

            foreach (Subscription subscription in everyone)
            {
                Invoke(subscription, change);
            }

            return;
        }

        Subscription[]? targets;
        lock (_gate)
        {
            _byDocument.TryGetValue(change.Document!, out targets);
        }

        if (targets is null)
        {
            return;
        }

        foreach (Subscription subscription in targets)
        {
            Invoke(subscription, change);
        }
    }

    /// <summary>Drops every subscription; later <see cref="Subscribe"/> calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _byDocument.Clear();
        }
    }

    private void Invoke(Subscription subscription, DocumentChange change)
    {
        if (subscription.IsDisposed)
        {
            return;
        }

        try
        {
            subscription.OnChange(change);
        }
#pragma warning disable CA1031 // A subscriber's failure must not stop the others (documented).
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _callbackFailures);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_byDocument.TryGetValue(subscription.Document, out Subscription[]? existing))
            {
                return;
            }

            Subscription[] remaining = Array.FindAll(existing, s => !ReferenceEquals(s, subscription));
            if (remaining.Length == 0)
            {
                _byDocument.Remove(subscription.Document);
            }
            else
            {
                _byDocument[subscription.Document] = remaining;
            }
        }
    }

    private sealed class Subscription(DocumentChangeDispatcher owner, string document, Action<DocumentChange> onChange) : IDisposable
    {
        private int _disposed;

        public string Document { get; } = document;

        public Action<DocumentChange> OnChange { get; } = onChange;

        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(this);
            }
        }
    }
}
