using System;
using FsCheck.Fluent;
using Sync.Crdt.Collections;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Collections;

public class OrdinalEqualFirstTests
{
    [Fact]
    public void Compare_AgreesInSignWithCompareOrdinal() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                // Short strings over a small alphabet (many equal pairs and shared prefixes), surrogates and nulls.
                var random = new Random(seed);
                string? left = Next(random);
                string? right = random.Next(3) == 0 ? (left is null ? null : new string(left.AsSpan())) : Next(random);
                Assert.Equal(Math.Sign(string.CompareOrdinal(left, right)), Math.Sign(OrdinalEqualFirst.Compare(left, right)));
                Assert.Equal(Math.Sign(string.CompareOrdinal(right, left)), Math.Sign(OrdinalEqualFirst.Compare(right, left)));
            },
            iterations: 500);

    private static string? Next(Random random)
    {
        if (random.Next(20) == 0)
        {
            return null;
        }

        char[] alphabet = ['a', 'b', 'é', '\uD83D', '\uDE00', '\uFFFF'];
        var chars = new char[random.Next(6)];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
