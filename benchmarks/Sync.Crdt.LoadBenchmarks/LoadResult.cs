namespace Sync.Crdt.LoadBenchmarks;

/// <summary>One server's measurements under a <see cref="LoadProfile"/>.</summary>
internal sealed record LoadResult(
    string Server,
    double SteadyUpdatesPerSecond,
    double P50Ms,
    double P99Ms,
    long LatencySamples,
    double BurstUpdatesPerSecond,
    bool BurstComplete,
    double ServerCpuPerSecond,
    double ClientCpuPerSecond,
    long ServerRssIdle,
    long ServerRssLoaded,
    double ServerBytesPerConnection,
    double DatabaseCpuPerSecond = double.NaN);
