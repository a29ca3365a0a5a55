using System;
using System.Linq;

namespace Sync.Crdt.Testing.Tests.Docs;

/// <summary>The examples of docs/testing-your-types.md, run in CI.</summary>
public class TestingYourTypesDocTests
{
    [Fact]
    public void MaxRegister_PassesEveryLaw()
    {
        // docs: "A type of your own"
        CrdtCheck.For<MaxRegister>()
            .WithEmpty(MaxRegister.Empty)
            .WithValues(CrdtGen.Int32(0, 1000).Select(v => new MaxRegister(v)))
            .WithOperations(
                CrdtOperations.Create<MaxRegister, int>(
                        CrdtGen.Int32(0, 1000),
                        (state, replica, value, out delta) => state.Raise(value, out delta))
                    .WithModel(state => state.Value, seen => seen.Count == 0 ? 0 : seen.Max(e => e.Operation)))
            .Run();
    }

    [Fact]
    public void LastReceivedRegister_FailsCommutativity_WithAShrunkCounterexample()
    {
        // docs: "A buggy type"
        CrdtCheckException failure = Assert.Throws<CrdtCheckException>(() =>
            CrdtCheck.For<LastReceivedRegister>()
                .WithValues(CrdtGen.Int32(0, 1000).Select(v => new LastReceivedRegister(v)))
                .Run());

        Assert.Equal("commutative/values", failure.Law);
        string expectedStart = """
            LastReceivedRegister: law 'commutative/values' does not hold.
            Commutativity, a.Merge(b) = b.Merge(a), does not hold:
              a.Merge(b): Last(1)
              b.Merge(a): Last(0)
            Counterexample (found after 1 case(s) with seed
            """.ReplaceLineEndings();
        Assert.StartsWith(expectedStart, failure.Message, StringComparison.Ordinal);
        Assert.Contains("  a = Last(0)" + Environment.NewLine + "  b = Last(1)" + Environment.NewLine, failure.Message, StringComparison.Ordinal);
        Assert.Contains("Replay: set SYNC_CRDT_CHECK_REPLAY=" + failure.ReplayToken, failure.Message, StringComparison.Ordinal);
        Assert.Equal([new("a", "Last(0)"), new("b", "Last(1)")], failure.Counterexample);

        // The token replays exactly the shrunk case.
        CrdtCheckException replayed = Assert.Throws<CrdtCheckException>(() =>
            CrdtCheck.For<LastReceivedRegister>()
                .WithValues(CrdtGen.Int32(0, 1000).Select(v => new LastReceivedRegister(v)))
                .WithReplay(failure.ReplayToken)
                .Run());
        Assert.Equal(failure.Counterexample, replayed.Counterexample);
        Assert.Contains("replayed from its token", replayed.Message, StringComparison.Ordinal);
    }
}
