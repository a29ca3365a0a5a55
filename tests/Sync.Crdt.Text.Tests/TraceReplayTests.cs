using System;
using System.IO;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;
using Sync.Crdt.TestSupport.Text;
using Xunit.Abstractions;

namespace Sync.Crdt.Text.Tests;

public class TraceReplayTests
{
    private readonly ITestOutputHelper _output;

    public TraceReplayTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> SequentialTraces()
    {
        var data = new TheoryData<string>();
        foreach (string file in EditingTrace.Files("sequential"))
        {
            data.Add(Path.GetFileName(file));
        }

        if (data.Count == 0)
        {
            data.Add("(absent)");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SequentialTraces))]
    public void Replay_SequentialTrace_EndsWithEndContent(string file)
    {
        string? path = TracePath("sequential", file);
        if (path is null)
        {
            return;
        }

        EditingTrace trace = EditingTrace.Load(path);
        var document = new TextDocument(new ReplicaId("author"));
        var follower = new TextDocument(new ReplicaId("reader"));
        foreach (TraceTransaction txn in trace.Transactions)
        {
            foreach (TracePatch patch in txn.Patches)
            {
                if (patch.Delete > 0)
                {
                    follower.ApplyUpdate(document.Delete(patch.Position, patch.Delete));
                }

                if (patch.Insert.Length > 0)
                {
                    follower.ApplyUpdate(document.Insert(patch.Position, patch.Insert));
                }
            }
        }

        Assert.Equal(trace.EndContent, document.ToString());
        Assert.Equal(trace.EndContent.Length, document.Length);
        Assert.Equal(trace.EndContent, follower.ToString());
        Assert.False(follower.HasPendingUpdates);

        // The whole state loads into a fresh replica; the incremental updates converge too.
        var loaded = new TextDocument(new ReplicaId("loader"));
        loaded.ApplyUpdate(document.EncodeStateAsUpdate());
        Assert.Equal(trace.EndContent, loaded.ToString());
        _output.WriteLine($"{trace.Name}: {trace.PatchCount} patches, {document.ItemCount} items, full update {document.EncodeStateAsUpdate().Length} bytes");
    }

    private static string? TracePath(string folder, string file)
    {
        string? traces = SharedData.TracesDirectory();
        if (traces is null || file == "(absent)")
        {
            Console.WriteLine($"SKIPPED: editing traces not found (expected ../shared/traces/{folder} beside the repository).");
            return null;
        }

        return Path.Combine(traces, folder, file);
    }
}
