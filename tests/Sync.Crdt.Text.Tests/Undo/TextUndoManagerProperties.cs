using System;
using System.Collections.Generic;
using System.Text;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Text.Tests.Undo;

public class TextUndoManagerProperties
{
    [Fact]
    public void UndoAllThenRedoAll_Alone_WalksBackAndForthThroughEveryStepsText() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            var doc = new TextDocument(new ReplicaId("me"));
            var model = new StringBuilder("base text \U0001F600 here");
            doc.Insert(0, model.ToString());
            var time = new ManualTimeProvider();
            using var undo = new TextUndoManager(doc, TimeSpan.FromSeconds(1), time);
            var snapshots = new List<string> { doc.ToString() };
            int steps = 1 + random.Next(12);
            for (int s = 0; s < steps; s++)
            {
                for (int e = 1 + random.Next(4); e > 0; e--)
                {
                    ConvergenceProperties.RandomLocalEdit(doc, model, random);
                }

                if (doc.ToString() != snapshots[^1])
                {
                    snapshots.Add(doc.ToString());
                }

                time.Advance(TimeSpan.FromSeconds(2));
            }

            for (int k = snapshots.Count - 2; k >= 0; k--)
            {
                undo.Undo();
                Assert.Equal(snapshots[k], doc.ToString());
            }

            Assert.Equal(TextUpdate.Empty, undo.Undo());
            for (int k = 1; k < snapshots.Count; k++)
            {
                undo.Redo();
                Assert.Equal(snapshots[k], doc.ToString());
            }
        }, iterations: 150);

    [Fact]
    public void UndoAndRedo_WithConcurrentRemoteEdits_ReplicasConverge() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            var alice = new TextDocument(new ReplicaId("alice"));
            var bob = new TextDocument(new ReplicaId("bob"));
            var models = new[] { new StringBuilder(), new StringBuilder() };
            var time = new ManualTimeProvider();
            using var undo = new TextUndoManager(alice, TimeSpan.FromSeconds(1), time);
            var toBob = new List<TextUpdate>();
            var toAlice = new List<TextUpdate>();
            for (int step = 0; step < 80; step++)
            {
                time.Advance(TimeSpan.FromMilliseconds(random.Next(1500)));
                switch (random.Next(8))
                {
                    case 0:
                        toBob.Add(undo.Undo());
                        models[0].Clear().Append(alice.ToString());
                        break;
                    case 1:
                        toBob.Add(undo.Redo());
                        models[0].Clear().Append(alice.ToString());
                        break;
                    case 2:
                    case 3:
                        toAlice.Add(ConvergenceProperties.RandomLocalEdit(bob, models[1], random));
                        break;
                    case 4:
                        Deliver(toAlice, alice, random);
                        models[0].Clear().Append(alice.ToString());
                        break;
                    case 5:
                        Deliver(toBob, bob, random);
                        models[1].Clear().Append(bob.ToString());
                        break;
                    default:
                        toBob.Add(ConvergenceProperties.RandomLocalEdit(alice, models[0], random));
                        break;
                }
            }

            foreach (TextUpdate u in toBob)
            {
                bob.ApplyUpdate(u);
            }

            foreach (TextUpdate u in toAlice)
            {
                alice.ApplyUpdate(u);
            }

            Assert.False(alice.HasPendingUpdates);
            Assert.False(bob.HasPendingUpdates);
            Assert.Equal(alice.ToString(), bob.ToString());
            Assert.Equal(alice.StateVector, bob.StateVector);
        }, iterations: 150);

    private static void Deliver(List<TextUpdate> queue, TextDocument target, Random random)
    {
        // Deliver a random subset, in random order; the rest stays in flight.
        for (int k = random.Next(queue.Count + 1); k > 0 && queue.Count > 0; k--)
        {
            int i = random.Next(queue.Count);
            target.ApplyUpdate(queue[i]);
            queue.RemoveAt(i);
        }
    }
}
