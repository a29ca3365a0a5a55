using System;
using System.Collections.Generic;
using Xunit;

namespace Sync.Crdt.TestSupport;

/// <summary>One helper for structural equality and hashing, used by every type's tests.</summary>
public static class EqualityAssert
{
    /// <summary>
    /// Asserts that <paramref name="left"/> and <paramref name="right"/> are equal through every path
    /// (<see cref="IEquatable{T}"/>, <see cref="object.Equals(object)"/>, reversed) and hash alike.
    /// </summary>
    public static void Equal<T>(T left, T right)
        where T : IEquatable<T>
    {
        Assert.NotNull(left);
        Assert.NotNull(right);
        Assert.True(left.Equals(right), $"Expected equal: {left} and {right}");
        Assert.True(right.Equals(left), $"Expected equal (reversed): {right} and {left}");
        Assert.True(left.Equals((object)right), "object.Equals disagrees with IEquatable<T>.Equals");
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.True(EqualityComparer<T>.Default.Equals(left, right));
    }

    /// <summary>Asserts that the values differ through every equality path.</summary>
    public static void NotEqual<T>(T left, T right)
        where T : IEquatable<T>
    {
        Assert.NotNull(left);
        Assert.NotNull(right);
        Assert.False(left.Equals(right), $"Expected different: {left} and {right}");
        Assert.False(right.Equals(left), $"Expected different (reversed): {right} and {left}");
        Assert.False(left.Equals((object)right), "object.Equals disagrees with IEquatable<T>.Equals");
        Assert.False(left.Equals((object?)null), "A value must not equal null");
    }
}
