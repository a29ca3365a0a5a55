using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Sync.Crdt.TestSupport;

/// <summary>
/// Runs FsCheck properties from plain xunit facts with a fixed iteration count and a fixed seed per test
/// (derived from the test's name), so every run checks the same cases. A failure message names the seed; set
/// the environment variable <c>SYNC_CRDT_SEED</c> to that value to replay it, or to <c>random</c> to explore.
/// </summary>
public static class PropertyCheck
{
    /// <summary>The default number of generated cases per property.</summary>
    public const int DefaultIterations = 200;

    /// <summary>Checks that <paramref name="assertion"/> holds (does not throw) for every generated case.</summary>
    public static void ForAll<T>(Gen<T> generator, Action<T> assertion, int iterations = DefaultIterations, [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(generator);
        ForAll(Arb.From(generator), assertion, iterations, testName);
    }

    /// <summary>Checks that <paramref name="assertion"/> holds for every case of <paramref name="arbitrary"/> (with shrinking).</summary>
    public static void ForAll<T>(Arbitrary<T> arbitrary, Action<T> assertion, int iterations = DefaultIterations, [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(arbitrary);
        ArgumentNullException.ThrowIfNull(assertion);
        ulong seed = SeedFor(testName);
        var replay = new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None);
        Config config = Config.QuickThrowOnFailure
            .WithMaxTest(iterations)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(replay));
        try
        {
            Check.One(config, Prop.ForAll(arbitrary, assertion));
        }
        catch (Exception ex) when (ex is not PropertyReplayException)
        {
            throw new PropertyReplayException(
                string.Create(CultureInfo.InvariantCulture, $"Property '{testName}' failed with seed {seed} ({iterations} cases). Replay: SYNC_CRDT_SEED={seed}.{Environment.NewLine}{ex.Message}"),
                ex);
        }
    }

    /// <summary>Returns the seed for a test: <c>SYNC_CRDT_SEED</c> when set, otherwise a stable hash of the test name.</summary>
    public static ulong SeedFor(string testName)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("SYNC_CRDT_SEED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (string.Equals(fromEnvironment, "random", StringComparison.OrdinalIgnoreCase))
            {
                return (ulong)Random.Shared.NextInt64(long.MaxValue);
            }

            return ulong.Parse(fromEnvironment, CultureInfo.InvariantCulture);
        }

        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        ulong hash = 14695981039346656037UL;
        foreach (char c in testName)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
