using System;
using System.Collections.Generic;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Text.Tests;

public class ConvergenceProperties
{
    private const string Alphabet = "abcdefgh xyz\u00e9\U0001F600";

    /// <summary>(replica count 2..5, random seed, steps).</summary>
    private static Gen<(int Replicas, int Seed, int Steps)> Scenario =>
        Gen.Zip(Gen.Choose(2, 5), Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(1, 60))).Select(t => (t.Item1, t.Item2.Item1, t.Item2.Item2));

    [Fact]
    public void RandomConcurrentEdits_ExchangedInRandomOrderWithDuplicates_AllReplicasConverge() =>
        PropertyCheck.ForAll(Scenario, scenario =>
        {
            var random = new Random(scenario.Seed);
            TextDocument[] replicas = CreateReplicas(scenario.Replicas, random);
            var models = new StringBuilder[replicas.Length];
            for (int r = 0; r < replicas.Length; r++)
            {
                models[r] = new StringBuilder();
            }

            var log = new List<TextUpdate>();
            for (int step = 0; step < scenario.Steps; step++)
            {
                int r = random.Next(replicas.Length);
                TextDocument replica = replicas[r];
                if (random.Next(4) == 0 && log.Count > 0)
                {
                    // Receive a random sample of the log in random order (duplicates included).
                    for (int k = random.Next(1, log.Count + 1); k > 0; k--)
                    {
                        replica.ApplyUpdate(log[random.Next(log.Count)]);
                    }

                    models[r].Clear().Append(replica.ToString());
                    continue;
                }

                TextUpdate update = RandomLocalEdit(replica, models[r], random);
                Assert.Equal(models[r].ToString(), replica.ToString());
                log.Add(update);
            }

            foreach (TextDocument replica in replicas)
            {
                foreach (int i in Shuffled(log.Count, random))
                {
                    replica.ApplyUpdate(log[i]);
                    if (random.Next(3) == 0)
                    {
                        replica.ApplyUpdate(log[i]);
                    }
                }
            }

            string text = replicas[0].ToString();
            foreach (TextDocument replica in replicas)
            {
                Assert.False(replica.HasPendingUpdates);
                Assert.Equal(text, replica.ToString());
                Assert.Equal(replicas[0].StateVector, replica.StateVector);
            }

            var fresh = new TextDocument(new ReplicaId("fresh"));
            fresh.ApplyUpdate(replicas[replicas.Length - 1].EncodeStateAsUpdate());
            Assert.Equal(text, fresh.ToString());
        }, iterations: 150);

    [Fact]
    public void ConcurrentRunsTypedAtOnePosition_DeliveredInRandomOrder_NeverInterleave() =>
        PropertyCheck.ForAll(Scenario, scenario =>
        {
            var random = new Random(scenario.Seed);
            TextDocument[] replicas = CreateReplicas(scenario.Replicas, random);
            TextUpdate baseText = replicas[0].Insert(0, "<>");
            foreach (TextDocument replica in replicas)
            {
                replica.ApplyUpdate(baseText);
            }

            var log = new List<TextUpdate>();
            int position = 1;
            for (int r = 0; r < replicas.Length; r++)
            {
                // Replica r types its run forward, one code unit at a time, at the same place as every other replica.
                int length = 1 + random.Next(Math.Max(1, scenario.Steps / 4));
                for (int i = 0; i < length; i++)
                {
                    log.Add(replicas[r].Insert(position + i, ((char)('A' + r)).ToString()));
                }
            }

            foreach (TextDocument replica in replicas)
            {
                foreach (int i in Shuffled(log.Count, random))
                {
                    replica.ApplyUpdate(log[i]);
                    replica.ApplyUpdate(log[random.Next(log.Count)]);
                }
            }

            string text = replicas[0].ToString();
            foreach (TextDocument replica in replicas)
            {
                Assert.Equal(text, replica.ToString());
            }

            Assert.StartsWith("<", text, StringComparison.Ordinal);
            Assert.EndsWith(">", text, StringComparison.Ordinal);
            for (int r = 0; r < replicas.Length; r++)
            {
                char letter = (char)('A' + r);
                int first = text.IndexOf(letter, StringComparison.Ordinal);
                int last = text.LastIndexOf(letter);
                Assert.True(first > 0, $"run {letter} missing in {text}");
                Assert.Equal(new string(letter, last - first + 1), text.Substring(first, last - first + 1));
            }
        }, iterations: 150);

    internal static TextDocument[] CreateReplicas(int count, Random random)
    {
        var replicas = new TextDocument[count];
        for (int r = 0; r < count; r++)
        {
            // Random ids, so that id order and creation order differ between cases.
            replicas[r] = new TextDocument(new ReplicaId($"{(char)('p' + random.Next(8))}{r}"));
        }

        return replicas;
    }

    internal static TextUpdate RandomLocalEdit(TextDocument replica, StringBuilder model, Random random)
    {
        if (model.Length > 0 && random.Next(3) == 0)
        {
            int index = random.Next(model.Length);
            int length = 1 + random.Next(Math.Min(5, model.Length - index));
            AdjustToPairs(model, ref index, ref length);
            if (length == 0)
            {
                return TextUpdate.Empty;
            }

            model.Remove(index, length);
            return replica.Delete(index, length);
        }

        int at = random.Next(model.Length + 1);
        if (at > 0 && at < model.Length && char.IsLowSurrogate(model[at]))
        {
            at--;
        }

        var text = new StringBuilder();
        for (int i = 1 + random.Next(4); i > 0; i--)
        {
            text.Append(Alphabet[random.Next(Alphabet.Length)]);
            if (char.IsHighSurrogate(text[^1]))
            {
                text.Append(Alphabet[Alphabet.Length - 1]);
            }
            else if (char.IsLowSurrogate(text[^1]))
            {
                text.Remove(text.Length - 1, 1);
            }
        }

        if (text.Length == 0)
        {
            text.Append('q');
        }

        model.Insert(at, text.ToString());
        return replica.Insert(at, text.ToString());
    }

    internal static int[] Shuffled(int count, Random random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        return order;
    }

    private static void AdjustToPairs(StringBuilder model, ref int index, ref int length)
    {
        if (char.IsLowSurrogate(model[index]))
        {
            index--;
            length++;
        }

        int end = index + length;
        if (end < model.Length && char.IsLowSurrogate(model[end]))
        {
            length++;
        }
    }
}
