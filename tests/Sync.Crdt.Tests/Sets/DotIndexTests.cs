using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Sets;

public class DotIndexTests
{
    [Fact]
    public void SetAndRemove_AcrossFolds_MatchDictionary_AndOldVersionsStayIntact() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                // Edits of a few replicas' dots, often re-editing a pending dot, for several fold rounds.
                var random = new Random(seed);
                ReplicaId[] replicas = ["a", "b", "c"];
                var model = new SortedDictionary<Dot, string>();
                DotIndex<string> index = DotIndex<string>.Empty;
                var versions = new List<(DotIndex<string> Index, KeyValuePair<Dot, string>[] Expected)>();
                int operations = random.Next(1, DotIndex<string>.PendingLimit * 6);
                for (int i = 0; i < operations; i++)
                {
                    var dot = new Dot(replicas[random.Next(replicas.Length)], random.Next(1, 300));
                    if (random.Next(3) == 0)
                    {
                        index = index.Remove(dot);
                        model.Remove(dot);
                    }
                    else
                    {
                        string item = "e" + random.Next(1000);
                        index = index.Set(dot, item);
                        model[dot] = item;
                    }

                    if (random.Next(10) == 0)
                    {
                        versions.Add((index, model.ToArray()));
                    }
                }

                versions.Add((index, model.ToArray()));
                foreach ((DotIndex<string> version, KeyValuePair<Dot, string>[] expected) in versions)
                {
                    version.Tree.Validate();
                    Assert.Equal(expected, Enumerate(version));
                }
            },
            iterations: 150);

    private static KeyValuePair<Dot, string>[] Enumerate(DotIndex<string> index)
    {
        var list = new List<KeyValuePair<Dot, string>>();
        foreach (KeyValuePair<Dot, string> entry in index.Tree)
        {
            list.Add(entry);
        }

        return list.ToArray();
    }
}
