using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using SharedTrace = Sync.Crdt.TestSupport.Text.EditingTrace;
using Sync.Crdt.TestSupport.Text;

namespace Sync.Ot.Tests;

/// <summary>
/// A sequential editing trace from testdata/traces/sequential (see SOURCES.md there) as OT edits: the shared
/// loader in TestSupport reads the file; this adapter turns its patches into <see cref="TextEdit"/>s (positions are
/// code points, which is also the OT unit).
/// </summary>
public sealed class EditingTrace
{
    private static readonly ConcurrentDictionary<string, EditingTrace> Cache = new(StringComparer.Ordinal);

    private EditingTrace(SharedTrace trace)
    {
        Name = trace.Name;
        StartContent = trace.StartContent;
        EndContent = trace.EndContent;
        Transactions = new List<TextEdit[]>(trace.Transactions.Count);
        foreach (TraceTransaction transaction in trace.Transactions)
        {
            var edits = new TextEdit[transaction.Patches.Length];
            for (int i = 0; i < edits.Length; i++)
            {
                TracePatch patch = transaction.Patches[i];
                edits[i] = new TextEdit(patch.Position, patch.Delete, patch.Insert);
            }

            Transactions.Add(edits);
        }
    }

    public string Name { get; }

    public string StartContent { get; }

    public string EndContent { get; }

    /// <summary>The transactions, each a list of patches applied one after another.</summary>
    public List<TextEdit[]> Transactions { get; }

    /// <summary>Loads (once per process) the trace at <paramref name="path"/>.</summary>
    public static EditingTrace Load(string path) => Cache.GetOrAdd(path, p => new EditingTrace(SharedTrace.Load(p)));
}
