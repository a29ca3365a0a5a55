using System;
using System.IO;
using System.Linq;
using Sync.Crdt.TestSupport;
using Xunit.Abstractions;

namespace Sync.Ot.Tests;

/// <summary>
/// Replays the real editing traces in testdata/traces/sequential (part of the repository; a missing trace fails the test).
/// </summary>
public class TraceReplayTests(ITestOutputHelper output)
{
    public static TheoryData<string> SequentialTraces => new()
    {
        "automerge-paper", "seph-blog1", "rustcode", "sveltecomponent", "friendsforever_flat", "clownschool_flat",
    };

    [Theory]
    [MemberData(nameof(SequentialTraces))]
    public void Replay_EveryPatchAsTextOperation_GivesEndContent(string name)
    {
        EditingTrace trace = Load(name);
        var document = new TextBuffer(trace.StartContent);
        int patches = 0;
        foreach (TextEdit[] transaction in trace.Transactions)
        {
            foreach (TextEdit edit in transaction)
            {
                document.Apply(TextOperation.FromEdit(document.CodePointLength, edit));
                patches++;
            }
        }

        Assert.Equal(trace.EndContent.Length, document.Utf16Length);
        Assert.True(trace.EndContent == document.ToString(), $"{name}: replay differs from endContent");
        output.WriteLine($"{name}: {patches} patches replayed, {document.CodePointLength} code points");
    }

    [Fact]
    public void Replay_TransactionsComposedIntoOperations_GiveEndContent()
    {
        // Multi-patch transactions become one operation each (FromEdits composes them), applied to plain strings.
        EditingTrace trace = Load("sveltecomponent");
        var document = new TextBuffer(trace.StartContent);
        foreach (TextEdit[] transaction in trace.Transactions)
        {
            document.Apply(TextOperation.FromEdits(document.CodePointLength, transaction));
        }

        Assert.True(trace.EndContent == document.ToString());
    }

    [Theory]
    [InlineData("automerge-paper")]
    [InlineData("friendsforever_flat")]
    public void Replay_ThroughServerWithTwoClientsAlternating_EveryReplicaGivesEndContent(string name)
    {
        EditingTrace trace = Load(name);
        TraceSession session = TraceSession.Run(trace, seed: 7);

        Assert.True(trace.EndContent == session.Server.Document, $"{name}: server differs from endContent");
        Assert.True(trace.EndContent == session.Alice.Document, $"{name}: alice differs");
        Assert.True(trace.EndContent == session.Bob.Document, $"{name}: bob differs");
        Assert.Equal(ClientState.Synchronized, session.Alice.State);
        Assert.Equal(ClientState.Synchronized, session.Bob.State);
        Assert.True(session.BufferedEdits > 0, "some edits should have been composed while awaiting acknowledgement");
        output.WriteLine($"{name}: {session.Server.Revision} revisions, {session.BufferedEdits} edits composed into buffers");
    }

    private static EditingTrace Load(string name) => EditingTrace.Load(SharedData.TraceFile("sequential", name + ".json.gz"));
}
