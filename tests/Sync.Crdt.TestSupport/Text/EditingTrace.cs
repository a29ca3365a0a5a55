using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace Sync.Crdt.TestSupport.Text;

/// <summary>
/// An editing trace from josephg/editing-traces (see testdata/traces/SOURCES.md): sequential traces have one agent and
/// implicit parents; concurrent traces give each transaction's parents and agent.
/// </summary>
public sealed class EditingTrace
{
    private static readonly ConcurrentDictionary<string, EditingTrace> Cache = new(StringComparer.Ordinal);

    private EditingTrace(string name, string startContent, string endContent, int agents, TraceTransaction[] transactions)
    {
        Name = name;
        StartContent = startContent;
        EndContent = endContent;
        Agents = agents;
        Transactions = transactions;
    }

    /// <summary>Gets the file name without extensions.</summary>
    public string Name { get; }

    /// <summary>Gets the document the first transaction applies to (empty in every shipped trace).</summary>
    public string StartContent { get; }

    /// <summary>Gets the text every correct replay ends with.</summary>
    public string EndContent { get; }

    /// <summary>Gets the number of agents (1 for sequential traces).</summary>
    public int Agents { get; }

    /// <summary>Gets the transactions in recorded order.</summary>
    public IReadOnlyList<TraceTransaction> Transactions { get; }

    /// <summary>Gets the number of patches in all transactions.</summary>
    public int PatchCount
    {
        get
        {
            int count = 0;
            foreach (TraceTransaction txn in Transactions)
            {
                count += txn.Patches.Length;
            }

            return count;
        }
    }

    /// <summary>Loads a gzipped JSON trace.</summary>
    public static EditingTrace Load(string path) => Cache.GetOrAdd(Path.GetFullPath(path), LoadUncached);

    private static EditingTrace LoadUncached(string path)
    {
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using JsonDocument json = JsonDocument.Parse(gzip);
        JsonElement root = json.RootElement;
        string endContent = root.GetProperty("endContent").GetString() ?? string.Empty;
        string startContent = root.TryGetProperty("startContent", out JsonElement start) ? start.GetString() ?? string.Empty : string.Empty;
        int agents = root.TryGetProperty("numAgents", out JsonElement n) ? n.GetInt32() : 1;
        var transactions = new List<TraceTransaction>();
        foreach (JsonElement txn in root.GetProperty("txns").EnumerateArray())
        {
            int[] parents = [];
            if (txn.TryGetProperty("parents", out JsonElement p))
            {
                parents = new int[p.GetArrayLength()];
                int i = 0;
                foreach (JsonElement parent in p.EnumerateArray())
                {
                    parents[i++] = parent.GetInt32();
                }
            }

            int agent = txn.TryGetProperty("agent", out JsonElement a) ? a.GetInt32() : 0;
            var patches = new List<TracePatch>();
            foreach (JsonElement patch in txn.GetProperty("patches").EnumerateArray())
            {
                patches.Add(new TracePatch(patch[0].GetInt32(), patch[1].GetInt32(), patch[2].GetString() ?? string.Empty));
            }

            transactions.Add(new TraceTransaction(parents, agent, patches.ToArray()));
        }

        string name = Path.GetFileName(path);
        name = name[..name.IndexOf('.', StringComparison.Ordinal)];
        return new EditingTrace(name, startContent, endContent, agents, transactions.ToArray());
    }

    /// <summary>Returns the gzipped traces in <c>testdata/traces/{folder}</c>; throws when the folder is missing or empty.</summary>
    public static string[] Files(string folder)
    {
        string directory = Path.Combine(SharedData.TracesDirectory(), folder);
        string[] files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json.gz") : [];
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"No editing traces in {directory} (they are part of the repository).");
        }

        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
