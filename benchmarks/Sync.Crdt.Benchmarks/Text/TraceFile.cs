using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace Sync.Crdt.Benchmarks.Text;

/// <summary>A sequential editing trace from testdata/traces/sequential as flat patch arrays.</summary>
public sealed class TraceFile
{
    private TraceFile(string path, string endContent, int[] positions, int[] deletes, string[] inserts)
    {
        Path = path;
        EndContent = endContent;
        Positions = positions;
        Deletes = deletes;
        Inserts = inserts;
    }

    /// <summary>Gets the file path.</summary>
    public string Path { get; }

    /// <summary>Gets the final text.</summary>
    public string EndContent { get; }

    /// <summary>Gets each patch's position.</summary>
    public int[] Positions { get; }

    /// <summary>Gets each patch's delete count.</summary>
    public int[] Deletes { get; }

    /// <summary>Gets each patch's inserted text.</summary>
    public string[] Inserts { get; }

    /// <summary>Finds testdata/traces/sequential/{name}.json.gz beside the repository (or under SYNC_CRDT_TRACES) and loads it.</summary>
    public static TraceFile LoadSequential(string name)
    {
        string path = System.IO.Path.Combine(TracesDirectory(), "sequential", name + ".json.gz");
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using JsonDocument json = JsonDocument.Parse(gzip);
        var positions = new List<int>();
        var deletes = new List<int>();
        var inserts = new List<string>();
        foreach (JsonElement txn in json.RootElement.GetProperty("txns").EnumerateArray())
        {
            foreach (JsonElement patch in txn.GetProperty("patches").EnumerateArray())
            {
                positions.Add(patch[0].GetInt32());
                deletes.Add(patch[1].GetInt32());
                inserts.Add(patch[2].GetString() ?? string.Empty);
            }
        }

        string endContent = json.RootElement.GetProperty("endContent").GetString() ?? string.Empty;
        return new TraceFile(path, endContent, positions.ToArray(), deletes.ToArray(), inserts.ToArray());
    }

    /// <summary>Returns testdata/traces: SYNC_CRDT_TRACES when set, else testdata/traces beside the repository holding Sync.Crdt.sln.</summary>
    public static string TracesDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable("SYNC_CRDT_TRACES");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sync.Crdt.sln")))
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "testdata", "traces"));
            }
        }

        throw new DirectoryNotFoundException("testdata/traces not found; set SYNC_CRDT_TRACES.");
    }

    /// <summary>Finds the repository root (the folder holding Sync.Crdt.sln).</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sync.Crdt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Sync.Crdt.sln not found above " + AppContext.BaseDirectory);
    }
}
