using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;

namespace Sync.Crdt.Benchmarks;

/// <summary>The global configuration: memory diagnoser on every benchmark, GitHub-flavoured Markdown output.</summary>
public static class BenchmarkConfig
{
    /// <summary>Creates the configuration.</summary>
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithOptions(ConfigOptions.JoinSummary);
}
