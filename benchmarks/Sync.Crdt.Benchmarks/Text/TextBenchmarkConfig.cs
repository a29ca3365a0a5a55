using BenchmarkDotNet.Configs;

namespace Sync.Crdt.Benchmarks.Text;

/// <summary>Adds the Yjs comparison columns (which run the Yjs peer once, in the host process) to the text benchmarks.</summary>
public sealed class TextBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public TextBenchmarkConfig()
    {
        AddColumn(YjsComparisonColumn.YjsTime, YjsComparisonColumn.Ratio, YjsComparisonColumn.Facts);
    }
}
