using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sync.Crdt.Benchmarks.Encoding;

/// <summary>A summary column with the encoded size of each case's value (binary or JSON, as the benchmark name says).</summary>
public sealed class EncodedSizeColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(EncodedSizeColumn);

    /// <inheritdoc />
    public string ColumnName => "Encoded";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Size;

    /// <inheritdoc />
    public string Legend => "Size of the encoded value (binary for Binary* benchmarks, UTF-8 JSON for Json* benchmarks)";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var shapeParameter = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(WireFormatBenchmarks.Shape));
        var entriesParameter = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(WireFormatBenchmarks.Entries));
        if (shapeParameter?.Value is not EncodedShape shape || entriesParameter?.Value is not int entries)
        {
            return "-";
        }

        object value = EncodingSamples.Create(shape, entries);
        bool json = benchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("Json", StringComparison.Ordinal);
        int bytes = json ? EncodingSamples.JsonBytes(value).Length : EncodingSamples.Binary(value).Length;
        return bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
