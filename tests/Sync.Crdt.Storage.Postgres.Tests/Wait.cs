using System;
using System.Threading;
using System.Threading.Tasks;

namespace Sync.Crdt.Storage.Postgres.Tests;

internal static class Wait
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Patience"/> with <paramref name="what"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(10, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for: {what}");
            }
        }
    }
}
