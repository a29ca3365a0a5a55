using System.Collections.Generic;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>Golden vectors of the CRDT types.</summary>
internal static partial class GoldenSamples
{
    /// <summary>Extra fuzz seeds (larger values) that are not pinned as golden files.</summary>
    internal static IEnumerable<GoldenSample> Fuzz()
    {
        yield break;
    }

    private static IEnumerable<GoldenSample> Crdts()
    {
        yield break;
    }
}
