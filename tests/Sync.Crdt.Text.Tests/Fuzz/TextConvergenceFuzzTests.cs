using System;
using System.Globalization;
using FsCheck.Fluent;
using Sync.Crdt.TestSupport;
using Xunit.Abstractions;

namespace Sync.Crdt.Text.Tests.Fuzz;

/// <summary>
/// The convergence fuzz for collaborative text (<see cref="TextFuzzCase"/>). CI runs <see cref="CiCases"/> cases with the
/// seed fixed by the test name. Environment variables: <c>SYNC_CRDT_TEXT_FUZZ_CASES</c> sets the number of cases (the
/// long mode, for example 200000); <c>SYNC_CRDT_SEED</c> replays a failed run (the failure message names it) or explores
/// with <c>random</c>; <c>SYNC_CRDT_TEXT_FUZZ_CASE</c> runs the single case with that case seed (also in the failure
/// message, as the falsifying value).
/// </summary>
public class TextConvergenceFuzzTests
{
    /// <summary>The number of cases CI runs.</summary>
    public const int CiCases = 2000;

    private readonly ITestOutputHelper _output;

    public TextConvergenceFuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void RandomDeliveryPaths_ManyReplicas_ConvergeToTheModel()
    {
        var stats = new TextFuzzStats();
        string? single = Environment.GetEnvironmentVariable("SYNC_CRDT_TEXT_FUZZ_CASE");
        if (!string.IsNullOrEmpty(single))
        {
            TextFuzzCase.Run(int.Parse(single, CultureInfo.InvariantCulture), stats);
            _output.WriteLine(stats.ToString());
            return;
        }

        string? configured = Environment.GetEnvironmentVariable("SYNC_CRDT_TEXT_FUZZ_CASES");
        int cases = string.IsNullOrEmpty(configured) ? CiCases : int.Parse(configured, CultureInfo.InvariantCulture);
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed => RunNamed(seed, stats), iterations: cases);
        _output.WriteLine(stats.ToString());

        // The cases must really have reached every delivery path (a fuzz that silently stopped exercising one proves nothing).
        Assert.Equal(cases, stats.Cases);
        Assert.True(stats.LocalDeletes > cases, stats.ToString());
        Assert.True(stats.SingleEditDeliveries > cases * 10, stats.ToString());
        Assert.True(stats.Duplicates > cases / 2, stats.ToString());
        Assert.True(stats.DeliveriesLeavingPending > cases, stats.ToString());
        Assert.True(stats.PendingCleared > cases / 2, stats.ToString());
        Assert.True(stats.WholeStates > cases, stats.ToString());
        Assert.True(stats.CurrentDiffs > cases, stats.ToString());
        Assert.True(stats.StaleDiffs > cases, stats.ToString());
        Assert.True(stats.DelayedSyncs > cases, stats.ToString());
        Assert.True(stats.Restarts > cases, stats.ToString());
        Assert.True(stats.Partitions > cases / 2, stats.ToString());
        Assert.True(stats.PartitionedSteps > cases * 10, stats.ToString());
        Assert.True(stats.PairBoundaryEdits > cases, stats.ToString());
        double astral = (double)stats.AstralUnitsInserted / stats.UnitsInserted;
        Assert.InRange(astral, 0.25, 0.6);
    }

    /// <summary>Runs one case; a failure names the case seed that replays it alone.</summary>
    private static void RunNamed(int seed, TextFuzzStats stats)
    {
        try
        {
            TextFuzzCase.Run(seed, stats);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Text fuzz case {seed} failed; replay it alone with SYNC_CRDT_TEXT_FUZZ_CASE={seed}. {ex.Message}"), ex);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20260)]
    public void FixedCase_Replays(int seed)
    {
        var first = new TextFuzzStats();
        var second = new TextFuzzStats();
        TextFuzzCase.Run(seed, first);
        TextFuzzCase.Run(seed, second);

        // Determinism: the same seed takes exactly the same paths.
        Assert.Equal(first.ToString(), second.ToString());
    }
}
