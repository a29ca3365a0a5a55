using System;
using Xunit;

namespace Sync.Crdt.TestSupport.Registers;

/// <summary>The join-semilattice laws every state-based CRDT's merge obeys, as assertions.</summary>
public static class LatticeAssert
{
    /// <summary>
    /// Asserts commutativity, associativity and idempotence on <paramref name="a"/>, <paramref name="b"/>,
    /// <paramref name="c"/>, and that merging a state already included returns the including instance itself.
    /// </summary>
    public static void JoinLaws<T>(T a, T b, T c, Func<T, T, T> merge)
        where T : class, IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(merge);
        T ab = merge(a, b);
        EqualityAssert.Equal(ab, merge(b, a));
        EqualityAssert.Equal(merge(ab, c), merge(a, merge(b, c)));
        Assert.Same(a, merge(a, a));
        EqualityAssert.Equal(a, merge(a, a));
        Assert.Same(ab, merge(ab, a));
        Assert.Same(ab, merge(ab, b));
        Assert.Same(a.Equals(ab) ? a : ab, merge(a, ab));
        Assert.Same(b.Equals(ab) ? b : ab, merge(b, ab));
    }
}
