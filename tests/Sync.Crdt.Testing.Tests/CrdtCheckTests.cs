using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding.Json;
using Sync.Crdt.Testing.FsCheck;
using Sync.Crdt.Testing.Tests.Docs;

namespace Sync.Crdt.Testing.Tests;

public class CrdtCheckTests
{
    private static readonly CrdtGen<long> Amounts = CrdtGen.Int64(0, 50);

    private static CrdtOperations<GCounter, long> Increments(CrdtMutation<GCounter, long>? apply = null) =>
        CrdtOperations.Create(Amounts, apply ?? ((GCounter state, ReplicaId replica, long amount, out GCounter delta) => state.Increment(replica, amount, out delta)));

    [Fact]
    public void GCounter_WithOperationsModelAndJson_PassesEveryLaw() =>
        CrdtCheck.ForCrdt<GCounter>()
            .WithOperations(Increments().WithModel(counter => counter.Value, seen => seen.Sum(e => e.Operation)))
            .WithJson(new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }.AddSyncCrdt<GCounter>())
            .Run(CrdtLaws.All);

    [Fact]
    public void WrongDelta_FailsTheDeltaLaw()
    {
        // The delta claims one more than the increment did.
        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() =>
            CrdtCheck.ForCrdt<GCounter>()
                .WithOperations(Increments((GCounter state, ReplicaId replica, long amount, out GCounter delta) =>
                {
                    GCounter after = state.Increment(replica, amount, out _);
                    delta = GCounter.Empty.Increment(replica, after[replica] + 1);
                    return after;
                }))
                .Run(CrdtLaws.Deltas));
        Assert.Equal("deltas", failure.Law);
        Assert.Contains("Delta, before.Merge(delta) = after for operation #0", failure.Message, StringComparison.Ordinal);

        // Shrunk to one operation of amount 0 on the first replica of a two-replica history.
        Assert.Contains(new KeyValuePair<string, string>("history", "#0 r0: 0"), failure.Counterexample);
    }

    [Fact]
    public void WrongModel_FailsTheModelLaw_AndNamesWhatTheStateHasSeen()
    {
        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() =>
            CrdtCheck.ForCrdt<GCounter>()
                .WithOperations(Increments().WithModel(counter => counter.Value, seen => seen.Count == 0 ? 0 : seen.Max(e => e.Operation)))
                .Run(CrdtLaws.Model));
        Assert.Equal("model", failure.Law);
        Assert.Contains("Model: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SequentialModel_IsCheckedAfterEveryOperation()
    {
        CrdtCheck.ForCrdt<GCounter>()
            .WithOperations(Increments().WithSequentialModel(0L, (total, replica, amount) => total + amount, counter => counter.Value))
            .Run(CrdtLaws.Model);

        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() =>
            CrdtCheck.ForCrdt<GCounter>()
                .WithOperations(Increments().WithSequentialModel(0L, (total, replica, amount) => Math.Max(total, amount), counter => counter.Value))
                .Run(CrdtLaws.Model));
        Assert.Contains("Sequential model: after operation #1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SummingMerge_FailsIdempotence_AndConvergence()
    {
        CrdtCheck<SumCounter> check = CrdtCheck.For<SumCounter>()
            .WithEmpty(new SumCounter(0))
            .WithOperations(CrdtOperations.Create(CrdtGen.Int32(1, 5), (SumCounter state, ReplicaId replica, int amount, out SumCounter delta) =>
            {
                delta = new SumCounter(amount);
                return new SumCounter(state.Total + amount);
            }));

        CrdtCheckException idempotence = Assert.Throws<CrdtCheckException>(() => check.Run(CrdtLaws.Idempotent));
        Assert.Equal("idempotent/history", idempotence.Law);

        CrdtCheckException convergence = Assert.Throws<CrdtCheckException>(() => check.Run(CrdtLaws.Convergence));
        Assert.Equal("convergence", convergence.Law);
        Assert.Contains("network", convergence.Counterexample.Select(note => note.Key));
    }

    [Fact]
    public void CopyingMerge_FailsOnlyTheSameInstanceRules()
    {
        CrdtCheck<CopyingMax> check = CrdtCheck.For<CopyingMax>().WithValues(CrdtGen.Int32(0, 9).Select(v => new CopyingMax(v)));
        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() => check.Run(CrdtLaws.Idempotent));
        Assert.Contains("same-instance rule", failure.Message, StringComparison.Ordinal);
        check.WithoutSameInstanceRules().Run();
    }

    [Fact]
    public void ReplayVariable_ReplaysOnlyTheCheckItNames()
    {
        CrdtCheck<LastReceivedRegister> check = CrdtCheck.For<LastReceivedRegister>()
            .WithValues(CrdtGen.Int32(0, 1000).Select(v => new LastReceivedRegister(v)));
        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() => check.Run(CrdtLaws.Commutative));

        // A token for another law is ignored by this one; a malformed token for this law is an error.
        check.WithReplay("LastReceivedRegister|associative/values|AAE").Run(CrdtLaws.Equality);
        Assert.Throws<ArgumentException>(() => check.WithReplay("LastReceivedRegister|commutative/values|%%").Run(CrdtLaws.Commutative));
        Assert.Throws<CrdtCheckException>(() => check.WithReplay(failure.ReplayToken).Run(CrdtLaws.Commutative));
    }

    [Fact]
    public void Run_WithALawThatNeedsMissingConfiguration_Throws()
    {
        CrdtCheck<MaxRegister> check = CrdtCheck.For<MaxRegister>().WithValues(CrdtGen.Int32(0, 9).Select(v => new MaxRegister(v)));
        Assert.Throws<InvalidOperationException>(() => check.Run(CrdtLaws.Identity));
        Assert.Throws<InvalidOperationException>(() => check.Run(CrdtLaws.BinaryCodec));
        Assert.Throws<InvalidOperationException>(() => CrdtCheck.For<MaxRegister>().Run());
    }

    [Fact]
    public void FsCheckGenerators_DriveTheChecks_AndKitGeneratorsDriveFsCheck()
    {
        // An FsCheck generator as the value source.
        CrdtCheck.For<MaxRegister>()
            .WithEmpty(MaxRegister.Empty)
            .WithValues(Gen.Choose(0, 1000).Select(v => new MaxRegister(v)).ToCrdtGen())
            .Run();
        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() =>
            CrdtCheck.For<LastReceivedRegister>().WithValues(global::FsCheck.Fluent.ArbMap.Default.ArbFor<int>().ToCrdtGen().Select(v => new LastReceivedRegister(v))).Run());
        Assert.Equal("commutative/values", failure.Law);

        // A kit generator inside a plain FsCheck property.
        int[] samples = Gen.Sample(CrdtGen.Int32(5, 9).ToFsCheckGen(), 10, 20);
        Assert.All(samples, s => Assert.InRange(s, 5, 9));
        Assert.True(samples.Distinct().Count() > 1);
    }

    [Fact]
    public void Generators_StayInBounds_AndShrinkTowardTheLowerBound()
    {
        CrdtGen<IReadOnlyList<int>> lists = CrdtGen.ListOf(CrdtGen.Int32(-3, 3), maxLength: 6, minLength: 2);
        for (ulong seed = 0; seed < 200; seed++)
        {
            IReadOnlyList<int> list = lists.Sample(seed);
            Assert.InRange(list.Count, 2, 6);
            Assert.All(list, x => Assert.InRange(x, -3, 3));
        }

        // Lists shrink by deleting elements: the smallest counterexample has lists of lengths 0 and 1.
        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() =>
            CrdtCheck.For<LastReceivedRegister>()
                .WithValues(CrdtGen.ListOf(CrdtGen.Int32(0, 100), maxLength: 30).Select(l => new LastReceivedRegister(l.Count)))
                .Run(CrdtLaws.Commutative));
        Assert.Equal([new("a", "Last(0)"), new("b", "Last(1)")], failure.Counterexample);
    }

    /// <summary>A "counter" whose merge adds: not idempotent, so replicas that see a state twice diverge.</summary>
    public sealed class SumCounter(int total) : IMergeable<SumCounter>, IEquatable<SumCounter>
    {
        public int Total { get; } = total;

        public SumCounter Merge(SumCounter other) => new(Total + other.Total);

        public bool Equals(SumCounter? other) => other is not null && other.Total == Total;

        public override bool Equals(object? obj) => Equals(obj as SumCounter);

        public override int GetHashCode() => Total;

        public override string ToString() => "Sum(" + Total + ")";
    }

    /// <summary>A correct max register whose merge always allocates.</summary>
    public sealed class CopyingMax(int value) : IMergeable<CopyingMax>, IEquatable<CopyingMax>
    {
        public int Value { get; } = value;

        public CopyingMax Merge(CopyingMax other) => new(Math.Max(Value, other.Value));

        public bool Equals(CopyingMax? other) => other is not null && other.Value == Value;

        public override bool Equals(object? obj) => Equals(obj as CopyingMax);

        public override int GetHashCode() => Value;

        public override string ToString() => "CopyingMax(" + Value + ")";
    }
}
