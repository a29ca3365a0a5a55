using System;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Sync.Crdt.Text;

namespace Sync.Crdt.Benchmarks.Text;

/// <summary>Columns that put Yjs's measurements (and our size/memory facts) beside each TextTraceBenchmarks row.</summary>
public sealed class YjsComparisonColumn : IColumn
{
    private static readonly Lazy<(long Bytes, int Size)> OurFacts = new(MeasureOurFacts);

    private readonly string _kind;

    private YjsComparisonColumn(string kind, string name)
    {
        _kind = kind;
        ColumnName = name;
    }

    /// <summary>Gets Yjs's median time for the same operation.</summary>
    public static IColumn YjsTime { get; } = new YjsComparisonColumn("time", "Yjs median");

    /// <summary>Gets Yjs's time divided by our mean (above 1: we are faster).</summary>
    public static IColumn Ratio { get; } = new YjsComparisonColumn("ratio", "Yjs/ours");

    /// <summary>Gets size or memory facts, ours vs Yjs.</summary>
    public static IColumn Facts { get; } = new YjsComparisonColumn("facts", "ours vs Yjs");

    /// <inheritdoc />
    public string Id => "Yjs." + _kind;

    /// <inheritdoc />
    public string ColumnName { get; }

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => false;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => _kind switch
    {
        "time" => "Median of Yjs (benchmarks/peers/yjs-trace.mjs) for the same operation on the same trace",
        "ratio" => "Yjs median / our mean: above 1 means TextDocument is faster",
        _ => "Encoded size (EncodeFull row) or retained heap after replay (ReplayLocal row), ours vs Yjs",
    };

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (_kind == "facts")
        {
            return method switch
            {
                nameof(TextTraceBenchmarks.EncodeFull) => Format($"{OurFacts.Value.Size:N0} B vs {YjsPeer.Get("sizeV2"):N0} B (V2)"),
                nameof(TextTraceBenchmarks.ReplayLocal) => Format($"{OurFacts.Value.Bytes / 1024.0 / 1024.0:F2} MB vs {YjsPeer.Get("memoryAfterReplayBytes") / 1024.0 / 1024.0:F2} MB retained"),
                _ => "-",
            };
        }

        string? field = method switch
        {
            nameof(TextTraceBenchmarks.ReplayLocal) => "replayMs",
            nameof(TextTraceBenchmarks.LoadEncoded) => "loadV2Ms",
            nameof(TextTraceBenchmarks.EncodeFull) => "encodeV2Ms",
            nameof(TextTraceBenchmarks.MergeStaleReplica) => "mergeStaleMs",
            _ => null,
        };
        double? yjs = field is null ? null : YjsPeer.Get(field);
        if (yjs is null)
        {
            return YjsPeer.Problem ?? "-";
        }

        if (_kind == "time")
        {
            return Format($"{yjs:F1} ms");
        }

        BenchmarkReport? report = summary[benchmarkCase];
        double? oursNs = report?.ResultStatistics?.Mean;
        return oursNs is null ? "-" : Format($"{yjs.Value * 1e6 / oursNs.Value:F1}x");
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static (long Bytes, int Size) MeasureOurFacts()
    {
        TraceFile trace = TraceFile.LoadSequential("automerge-paper");
        long before = GC.GetTotalMemory(forceFullCollection: true);
        TextDocument document = TextTraceBenchmarks.Replay(trace, trace.Positions.Length);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        int size = document.EncodeStateAsUpdate().Length;
        GC.KeepAlive(document);
        return (after - before, size);
    }
}
