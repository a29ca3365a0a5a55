using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Testing.Internal;

/// <summary>Draws <c>count</c> values for one case (independent values, or states of one generated history).</summary>
internal delegate T[] ValueSource<T>(GenContext context, int count);

/// <summary>The laws checked on values: the join laws, identity, equality and the codecs.</summary>
internal static class ValueLaws
{
    public static void Commutative<T>(Lattice<T> lattice, ValueSource<T> source, GenContext context)
        where T : class, IMergeable<T>, IEquatable<T>
    {
        T[] v = source(context, 2);
        lattice.Equal("Commutativity, a.Merge(b) = b.Merge(a),", lattice.Merge(v[0], v[1]), lattice.Merge(v[1], v[0]), "a.Merge(b)", "b.Merge(a)");
    }

    public static void Associative<T>(Lattice<T> lattice, ValueSource<T> source, GenContext context)
        where T : class, IMergeable<T>, IEquatable<T>
    {
        T[] v = source(context, 3);
        lattice.Equal(
            "Associativity, (a.Merge(b)).Merge(c) = a.Merge(b.Merge(c)),",
            lattice.Merge(lattice.Merge(v[0], v[1]), v[2]),
            lattice.Merge(v[0], lattice.Merge(v[1], v[2])),
            "(a.Merge(b)).Merge(c)",
            "a.Merge(b.Merge(c))");
    }

    public static void Idempotent<T>(Lattice<T> lattice, ValueSource<T> source, GenContext context)
        where T : class, IMergeable<T>, IEquatable<T>
    {
        T[] v = source(context, 2);
        T a = v[0];
        T b = v[1];
        T aa = lattice.Merge(a, a);
        lattice.Equal("Idempotence, a.Merge(a) = a,", a, aa);
        lattice.Same("Idempotence, a.Merge(a) returns a itself,", a, aa);
        T ab = lattice.Merge(a, b);
        lattice.Equal("Absorption, a.Merge(a.Merge(b)) = a.Merge(b),", ab, lattice.Merge(a, ab));
        lattice.Equal("Absorption, (a.Merge(b)).Merge(a) = a.Merge(b),", ab, lattice.Merge(ab, a));
        lattice.Equal("Absorption, (a.Merge(b)).Merge(b) = a.Merge(b),", ab, lattice.Merge(ab, b));
        lattice.Same("Absorption, (a.Merge(b)).Merge(a) returns a.Merge(b) itself,", ab, lattice.Merge(ab, a));
        lattice.Same("Absorption, (a.Merge(b)).Merge(b) returns a.Merge(b) itself,", ab, lattice.Merge(ab, b));
        if (a.Equals(ab))
        {
            lattice.Same("Absorption, a.Merge(b) returns a itself when a includes b,", a, ab);
        }
    }

    public static void Identity<T>(Lattice<T> lattice, ValueSource<T> source, GenContext context)
        where T : class, IMergeable<T>, IEquatable<T>
    {
        T empty = lattice.RequireEmpty("identity");
        T a = source(context, 1)[0];
        T withEmpty = lattice.Merge(a, empty);
        lattice.Equal("Identity, a.Merge(Empty) = a,", a, withEmpty);
        lattice.Same("Identity, a.Merge(Empty) returns a itself,", a, withEmpty);
        lattice.Equal("Identity, Empty.Merge(a) = a,", a, lattice.Merge(empty, a));
    }

    public static void Equality<T>(Lattice<T> lattice, ValueSource<T> source, GenContext context)
        where T : class, IMergeable<T>, IEquatable<T>
    {
        T[] v = source(context, 2);
        T a = v[0];
        T b = v[1];
        if (!a.Equals(a))
        {
            throw new LawViolationException($"Equality is not reflexive: a.Equals(a) is false for {lattice.Show(a)}.");
        }

        if (a.Equals(b) != b.Equals(a))
        {
            throw new LawViolationException($"Equality is not symmetric: a.Equals(b) is {a.Equals(b)}, b.Equals(a) is {b.Equals(a)}.");
        }

        if (a.Equals(b) != a.Equals((object)b))
        {
            throw new LawViolationException("Equals(object) disagrees with Equals(T) on a and b.");
        }

        if (a.Equals(b) && a.GetHashCode() != b.GetHashCode())
        {
            throw new LawViolationException("Equal values a and b have different hash codes.");
        }

        if (a.Equals((object?)null))
        {
            throw new LawViolationException("a.Equals(null) is true.");
        }
    }

    public static void BinaryCodec<T>(Lattice<T> lattice, ValueSource<T> source, GenContext context, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options)
        where T : class, IMergeable<T>, IEquatable<T>
    {
        T a = source(context, 1)[0];
        byte[] bytes = CrdtSerializer.SerializeToBytes(a, codec, options);
        context.Note("bytes", Convert.ToHexString(bytes));
        T decoded = CrdtSerializer.Deserialize(bytes, codec, options);
        lattice.Equal("Binary round trip, Decode(Encode(a)) = a,", a, decoded);
        byte[] again = CrdtSerializer.SerializeToBytes(decoded, codec, options);
        if (!bytes.AsSpan().SequenceEqual(again))
        {
            throw new LawViolationException($"Binary round trip: re-encoding the decoded value gives other bytes:{Environment.NewLine}  first:  {Convert.ToHexString(bytes)}{Environment.NewLine}  second: {Convert.ToHexString(again)}");
        }
    }

    public static void JsonCodec<T>(Lattice<T> lattice, ValueSource<T> source, GenContext context, JsonSerializerOptions options)
        where T : class, IMergeable<T>, IEquatable<T>
    {
        var info = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        T a = source(context, 1)[0];
        string json = JsonSerializer.Serialize(a, info);
        context.Note("json", json);
        T decoded = JsonSerializer.Deserialize(json, info) ?? throw new LawViolationException($"JSON round trip: {json} reads back as null.");
        lattice.Equal("JSON round trip, Deserialize(Serialize(a)) = a,", a, decoded);
        string again = JsonSerializer.Serialize(decoded, info);
        if (json != again)
        {
            throw new LawViolationException($"JSON round trip: writing the read value gives other text:{Environment.NewLine}  first:  {json}{Environment.NewLine}  second: {again}");
        }
    }
}
