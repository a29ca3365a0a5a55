using System.IO;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;
using Sync.Crdt.TestSupport.Text;
using Sync.Ot;
using Xunit.Abstractions;

namespace Sync.Crdt.Text.Tests.CrossCheck;

/// <summary>
/// The two collaborative-text engines, the sequence CRDT (<see cref="TextDocument"/>) and operational
/// transformation (<see cref="TextOperation"/> applied to a <see cref="TextBuffer"/>), replay the same real traces
/// and must hold the same text at every checkpoint along the way, not only at the end.
/// </summary>
public class CrdtVersusOtTraceTests
{
    private const int Checkpoints = 64;

    public static TheoryData<string> SequentialTraces() => TraceReplayTests.SequentialTraces();

    [Theory]
    [MemberData(nameof(SequentialTraces))]
    public void Replay_SameTraceThroughCrdtAndOt_SameTextAtEveryCheckpoint(string file)
    {
        string path = SharedData.TraceFile("sequential", file);

        EditingTrace trace = EditingTrace.Load(path);
        var crdt = new TextDocument(new ReplicaId("crdt"));
        if (trace.StartContent.Length > 0)
        {
            crdt.Insert(0, trace.StartContent);
        }

        var ot = new TextBuffer(trace.StartContent);
        int every = System.Math.Max(1, trace.Transactions.Count / Checkpoints);
        for (int t = 0; t < trace.Transactions.Count; t++)
        {
            foreach (TracePatch patch in trace.Transactions[t].Patches)
            {
                if (patch.Delete > 0)
                {
                    crdt.Delete(patch.Position, patch.Delete);
                }

                if (patch.Insert.Length > 0)
                {
                    crdt.Insert(patch.Position, patch.Insert);
                }

                ot.Apply(TextOperation.FromEdit(ot.CodePointLength, new TextEdit(patch.Position, patch.Delete, patch.Insert)));
            }

            if (t % every == 0)
            {
                Assert.True(crdt.ToString() == ot.ToString(), $"{trace.Name}: the engines disagree after transaction {t}.");
            }
        }

        Assert.Equal(trace.EndContent, crdt.ToString());
        Assert.Equal(trace.EndContent, ot.ToString());
    }
}
