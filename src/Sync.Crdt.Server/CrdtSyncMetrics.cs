using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace Sync.Crdt.Server;

/// <summary>The sync endpoint's instruments, on the meter <see cref="MeterName"/>.</summary>
/// <remarks>
/// Instruments: <c>sync.connections</c> (up-down counter, {connection}), <c>sync.documents.open</c> (up-down counter,
/// {document}), <c>sync.frames.received</c> / <c>sync.frames.sent</c> (counters, {frame}), <c>sync.bytes.received</c> /
/// <c>sync.bytes.sent</c> (counters, By), <c>sync.ack.latency</c> (histogram, ms: from receiving a change to queueing
/// its ack, the store commit included). Thread-safe.
/// </remarks>
public sealed class CrdtSyncMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Sync.Crdt.Server";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _documents;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _framesOut;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<double> _ackLatency;

    /// <summary>Creates the instruments through a meter factory.</summary>
    /// <param name="meterFactory">The application's meter factory.</param>
    public CrdtSyncMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _connections = _meter.CreateUpDownCounter<long>("sync.connections", "{connection}", "Open sync connections.");
        _documents = _meter.CreateUpDownCounter<long>("sync.documents.open", "{document}", "Documents loaded in memory.");
        _framesIn = _meter.CreateCounter<long>("sync.frames.received", "{frame}", "Frames received.");
        _framesOut = _meter.CreateCounter<long>("sync.frames.sent", "{frame}", "Frames sent.");
        _bytesIn = _meter.CreateCounter<long>("sync.bytes.received", "By", "Bytes received.");
        _bytesOut = _meter.CreateCounter<long>("sync.bytes.sent", "By", "Bytes sent.");
        _ackLatency = _meter.CreateHistogram<double>("sync.ack.latency", "ms", "From receiving a change to queueing its durable ack.");
    }

    internal void ConnectionOpened() => _connections.Add(1);

    internal void ConnectionClosed() => _connections.Add(-1);

    internal void DocumentLoaded() => _documents.Add(1);

    internal void DocumentUnloaded() => _documents.Add(-1);

    internal void FrameReceived(int bytes)
    {
        _framesIn.Add(1);
        _bytesIn.Add(bytes);
    }

    internal void FrameSent(int bytes)
    {
        _framesOut.Add(1);
        _bytesOut.Add(bytes);
    }

    internal void AckSent(TimeSpan latency) => _ackLatency.Record(latency.TotalMilliseconds);

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
