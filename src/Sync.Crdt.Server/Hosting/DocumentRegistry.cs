using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Server.Hosting;

/// <summary>The loaded documents: acquired by connections, unloaded after being idle, reloaded from the store on demand.</summary>
internal sealed class DocumentRegistry : IDisposable
{
    private readonly Dictionary<string, DocumentHost> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _stopping = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SyncConnection> _replicas = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly HostServices _services;
    private readonly ITimer _sweep;

    public DocumentRegistry(IOptions<CrdtSyncOptions> options, IDocumentStore store, CrdtSyncMetrics metrics, ILoggerFactory loggers, TimeProvider time, IDocumentChangeFeed? changeFeed = null)
    {
        CrdtSyncOptions value = options.Value;
        value.Validate();
        _services = new HostServices(value, store, metrics, loggers.CreateLogger("Sync.Crdt.Server"), time, this, changeFeed);
        TimeSpan period = Min(value.IdleDocumentTimeout, value.PresenceTimeout) / 2;
        _sweep = time.CreateTimer(static state => ((DocumentRegistry)state!).Sweep(), this, period, period);
    }

    public HostServices Services => _services;

    public int OpenDocuments
    {
        get
        {
            lock (_lock)
            {
                return _hosts.Count;
            }
        }
    }

    public bool ShuttingDown { get; private set; }

    /// <summary>Takes a reference on a document, loading it if needed; null when it is loaded as another kind.</summary>
    public DocumentHost? Acquire(string name, DocumentKind kind)
    {
        lock (_lock)
        {
            if (!_hosts.TryGetValue(name, out DocumentHost? host))
            {
                host = kind switch
                {
                    DocumentKind.Values => new ValuesDocumentHost(name, _services),
                    DocumentKind.Text => new TextDocumentHost(name, _services),
                    _ => new OtDocumentHost(name, _services),
                };
                _hosts.Add(name, host);
                _services.Metrics.DocumentLoaded();
                host.Start(_stopping.Remove(name, out Task? predecessor) ? predecessor : Task.CompletedTask);
            }
            else if (host.Kind != kind)
            {
                return null;
            }

            host.References++;
            return host;
        }
    }

    public void Release(DocumentHost host)
    {
        lock (_lock)
        {
            if (--host.References == 0)
            {
                host.IdleSince = _services.Time.GetTimestamp();
            }
        }
    }

    public void Remove(DocumentHost host)
    {
        lock (_lock)
        {
            if (_hosts.TryGetValue(host.Name, out DocumentHost? current) && ReferenceEquals(current, host))
            {
                _hosts.Remove(host.Name);
                _services.Metrics.DocumentUnloaded();
            }
        }
    }

    /// <summary>Another node committed to <paramref name="document"/>: a loaded host re-reads the log from its cursor.</summary>
    public bool NotifyExternalCommit(string document)
    {
        lock (_lock)
        {
            return _hosts.TryGetValue(document, out DocumentHost? host) && host.RequestRefresh();
        }
    }

    public bool TryClaimReplica(string replica, SyncConnection connection)
    {
        lock (_lock)
        {
            if (ShuttingDown || _replicas.ContainsKey(replica))
            {
                return false;
            }

            _replicas.Add(replica, connection);
            return true;
        }
    }

    public void ReleaseReplica(string replica, SyncConnection connection)
    {
        lock (_lock)
        {
            if (_replicas.TryGetValue(replica, out SyncConnection? current) && ReferenceEquals(current, connection))
            {
                _replicas.Remove(replica);
            }
        }
    }

    public List<SyncConnection> BeginShutdown()
    {
        lock (_lock)
        {
            ShuttingDown = true;
            return [.. _replicas.Values];
        }
    }

    public void Dispose() => _sweep.Dispose();

    private void Sweep()
    {
        long now = _services.Time.GetTimestamp();
        long idleTicks = (long)(_services.Options.IdleDocumentTimeout.TotalSeconds * _services.Time.TimestampFrequency);
        lock (_lock)
        {
            List<DocumentHost>? idle = null;
            foreach (DocumentHost host in _hosts.Values)
            {
                if (host.References == 0 && now - host.IdleSince >= idleTicks)
                {
                    (idle ??= []).Add(host);
                }
                else if (host.Kind == DocumentKind.Text)
                {
                    host.TryPost(new HostInput(HostInputKind.Tick, null, null, 0));
                }
            }

            foreach (DocumentHost host in idle ?? [])
            {
                _hosts.Remove(host.Name);
                _services.Metrics.DocumentUnloaded();
                host.Stop();
                _stopping[host.Name] = host.Stopped;
                Log.DocumentUnloaded(_services.Logger, host.Name);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
