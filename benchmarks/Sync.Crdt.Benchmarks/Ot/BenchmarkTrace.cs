using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text.Json;
using Sync.Ot;

namespace Sync.Crdt.Benchmarks.Ot;

/// <summary>Loads a sequential editing trace from testdata/traces/sequential (env <c>SYNC_CRDT_TRACES</c> overrides the folder).</summary>
internal static class BenchmarkTrace
{
    public static (string Start, string End, List<TextEdit[]> Transactions) Load(string name)
    {
        string path = Path.Combine(TracesDirectory(), "sequential", name + ".json.gz");
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using JsonDocument json = JsonDocument.Parse(gzip);
        var transactions = new List<TextEdit[]>();
        foreach (JsonElement txn in json.RootElement.GetProperty("txns").EnumerateArray())
        {
            var edits = new List<TextEdit>();
            foreach (JsonElement patch in txn.GetProperty("patches").EnumerateArray())
            {
                edits.Add(new TextEdit(patch[0].GetInt32(), patch[1].GetInt32(), patch[2].GetString()!));
            }

            transactions.Add(edits.ToArray());
        }

        return (json.RootElement.GetProperty("startContent").GetString()!, json.RootElement.GetProperty("endContent").GetString()!, transactions);
    }

    private static string TracesDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("SYNC_CRDT_TRACES");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sync.Crdt.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "testdata", "traces"));
            }
        }

        throw new DirectoryNotFoundException("Cannot find testdata/traces beside the repository; set SYNC_CRDT_TRACES.");
    }
}
