using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Tests.Sets;

/// <summary>
/// The decoder's entry point <c>FromParts</c> (every invariant a hostile or corrupt payload can break), argument
/// checks naming the argument, and hashing.
/// </summary>
public class ORSetEdgeTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";
    private static readonly CausalContext Context = CausalContext.Create(VersionVector.Create(new Dot(A, 5), new Dot(B, 5)));

    [Fact]
    public void Arguments_AreCheckedByName()
    {
        Assert.Throws<ArgumentNullException>(() => CodecOf<ORSet<string>>(null!));
        Assert.NotNull(CodecOf<ORSet<string>>(new CrdtSerializerOptions()));
        Assert.Throws<ArgumentNullException>("comparer", () => ORSet<string>.CreateEmpty(null!));
        Assert.Throws<ArgumentNullException>("entries", () => ORSet<string>.Create(null!, Context));
    }

    [Fact]
    public void FromParts_ValidParts_BuildsTheSet()
    {
        ORSet<string> set = ORSet<string>.FromParts(StringComparer.Ordinal, ["x", "y"], [[new Dot(A, 1), new Dot(B, 2)], [new Dot(A, 3)]], Context);
        set.Validate();
        Assert.Equal(["x", "y"], set.ToArray());
        Assert.Equal([new Dot(A, 1), new Dot(B, 2)], set.GetDots("x").ToArray());
    }

    [Fact]
    public void FromParts_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("comparer", () => ORSet<string>.FromParts(null!, [], [], Context));
        Assert.Throws<ArgumentNullException>("items", () => ORSet<string>.FromParts(StringComparer.Ordinal, null!, [], Context));
        Assert.Throws<ArgumentNullException>("dots", () => ORSet<string>.FromParts(StringComparer.Ordinal, [], null!, Context));
        Assert.Throws<ArgumentNullException>("context", () => ORSet<string>.FromParts(StringComparer.Ordinal, [], [], null!));
        Assert.Throws<ArgumentNullException>("items", () => ORSet<string>.FromParts(StringComparer.Ordinal, [null!], [[new Dot(A, 1)]], Context));
    }

    [Theory]
    [MemberData(nameof(BrokenParts))]
    public void FromParts_BrokenInvariant_ThrowsNamingThePart(string items, string dots, string parameter, string message)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() =>
            ORSet<string>.FromParts(StringComparer.Ordinal, items.Split(',', StringSplitOptions.RemoveEmptyEntries), ParseDots(dots), Context));
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Elements, their dots ("a1 b2" per element, elements separated by "|", "-" for a default dot), the argument named, a phrase of the message.</summary>
    public static TheoryData<string, string, string, string> BrokenParts() => new()
    {
        { "x,y", "a1", "dots", "needs its dots" },
        { "y,x", "a1|a2", "items", "strictly increasing" },
        { "x,x", "a1|a2", "items", "strictly increasing" },
        { "x", "", "dots", "at least one dot" },
        { "x", "a2 a1", "dots", "valid and strictly increasing" },
        { "x", "a1 a1", "dots", "valid and strictly increasing" },
        { "x", "-", "dots", "valid and strictly increasing" },
        { "x", "a6", "context", "in the context" },
        { "x,y", "a1|a1", "dots", "only one element" },

        // In element order the shared dot b5 is not next to itself; only sorting the dots brings them together.
        { "x,y,z", "a1 b5|a3|b5", "dots", "only one element" },
    };

    private static Dot[][] ParseDots(string text) =>
        text.Split('|').Select(element => element.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d == "-" ? default : new Dot(d[..1], long.Parse(d[1..], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray()).ToArray();

    [Fact]
    public void Hashes_DistinguishElementsDotsAndContexts()
    {
        ORSet<string> x = ORSet<string>.Empty.Add(A, "x");
        ORSet<string>[] sets =
        [
            x,
            ORSet<string>.Empty.Add(A, "y"),
            ORSet<string>.Empty.Add(B, "x"),
            x.Add(A, "y"),
            x.Remove("x"),
            x.Remove("x").Add(A, "z").Remove("z"),
        ];
        Assert.Equal(sets.Length, sets.Select(s => s.GetHashCode()).Distinct().Count());
    }

    private static ICrdtValueCodec<T> CodecOf<T>(CrdtSerializerOptions options)
        where T : class, ICrdt<T> => T.CreateCodec(options);
}
