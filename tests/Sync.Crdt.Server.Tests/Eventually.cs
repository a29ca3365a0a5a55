using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Sync.Crdt.Server.Tests;

internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Polls until the condition holds; fails with the description after the timeout.</summary>
    public static async Task HoldsAsync(Func<bool> condition, Func<string> describe)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Timeout)
            {
                Assert.Fail("Timed out: " + describe());
            }

            await Task.Delay(20);
        }
    }

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);
}
