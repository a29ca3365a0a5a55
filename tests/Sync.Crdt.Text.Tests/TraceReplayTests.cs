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
        // A fixed list: a trace missing from testdata/ fails its case instead of vanishing from the run.
        return new TheoryData<string>
        {
            "automerge-paper.json.gz", "clownschool_flat.json.gz", "friendsforever_flat.json.gz", "rustcode.json.gz",
            "seph-blog1.json.gz", "sveltecomponent.json.gz",
        };
    }

    [Theory]
    [MemberData(nameof(SequentialTraces))]
    public void Replay_SequentialTrace_EndsWithEndContent(string file)
    {
        string path = SharedData.TraceFile("sequential", file);
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
}
