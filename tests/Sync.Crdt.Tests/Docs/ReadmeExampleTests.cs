using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Docs;

/// <summary>
/// Keeps the README's usage example compiled and true: the code between the snippet markers below is the
/// README's example, character for character, and running it must print what the README's comments say.
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_Runs_AndPrintsWhatTheReadmeSays()
    {
        Console.Lines.Clear();
        RunExample();
        Assert.Equal(["bread, milk", "8", "Alice B."], Console.Lines);
    }

    [Fact]
    public void ReadmeExample_IsTheCodeInTheReadme()
    {
        string root = SharedData.RepositoryRoot() ?? throw new DirectoryNotFoundException("repository root not found");
        string source = File.ReadAllText(Path.Combine(root, "tests", "Sync.Crdt.Tests", "Docs", "ReadmeExampleTests.cs"));
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r\n", "\n", System.StringComparison.Ordinal);
        string[] lines = source.Replace("\r\n", "\n", System.StringComparison.Ordinal).Split('\n');
        int begin = System.Array.FindIndex(lines, l => l.Trim() == "// begin-snippet: readme");
        int end = System.Array.FindIndex(lines, l => l.Trim() == "// end-snippet");
        string snippet = string.Join("\n", lines[(begin + 1)..end].Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()));
        Assert.True(readme.Contains(snippet, System.StringComparison.Ordinal), "README.md's example differs from the compiled snippet in ReadmeExampleTests.cs:\n" + snippet);
        Assert.True(end - begin - 1 <= 22, "the README example should stay about 20 lines");
    }

    private static void RunExample()
    {
        // begin-snippet: readme
        var alice = new ReplicaId("alice");
        var bob = new ReplicaId("bob");

        // Each replica edits its own immutable copy, offline if need be.
        ORSet<string> atAlice = ORSet<string>.Empty.Add(alice, "milk").Add(alice, "eggs");
        ORSet<string> atBob = atAlice.Remove("eggs");        // Bob saw the eggs and removes them
        atAlice = atAlice.Add(alice, "bread");               // meanwhile Alice adds bread

        // Merge in any order, any number of times: every replica converges.
        ORSet<string> cart = atAlice.Merge(atBob);
        Console.WriteLine(string.Join(", ", cart));          // bread, milk

        GCounter views = GCounter.Empty.Increment(alice, 5).Merge(GCounter.Empty.Increment(bob, 3));
        Console.WriteLine(views.Value);                      // 8

        var clock = new HybridLogicalClock();                // never goes backwards, unlike wall clocks
        LWWMap<string, string> profile = LWWMap<string, string>.Empty.Put(alice, "name", "Alice", clock);
        profile = profile.Merge(profile.Put(bob, "name", "Alice B.", clock));
        Console.WriteLine(profile["name"]);                  // Alice B.
        // end-snippet
    }

    /// <summary>Shadows System.Console inside this class so the example's output can be checked.</summary>
    private static class Console
    {
        public static List<string> Lines { get; } = [];

        public static void WriteLine(object? value) => Lines.Add(value?.ToString() ?? string.Empty);
    }
}
