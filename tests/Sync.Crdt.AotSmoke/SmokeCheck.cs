using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Json;

namespace Sync.Crdt.AotSmoke;

/// <summary>Counts checks, reports failures, and runs the shared round trips of one CRDT value.</summary>
internal sealed class SmokeCheck(string goldenFolder)
{
    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public void Expect(bool condition, string what)
    {
        if (condition)
        {
            Passed++;
        }
        else
        {
            Failed++;
            Console.Error.WriteLine("FAILED: " + what);
        }
    }

    /// <summary>
    /// Encodes <paramref name="value"/> with the type's own codec (compared with a golden file when one is named),
    /// decodes it back, writes and reads its JSON through <see cref="SyncCrdtJson.AddSyncCrdt{T}"/> over a
    /// source-generated context, and checks the join laws that need no second replica.
    /// </summary>
    public void RoundTrip<T>(string name, T value, string? golden = null, CrdtSerializerOptions? options = null, JsonSerializerOptions? json = null)
        where T : class, ICrdt<T>
    {
        try
        {
            options ??= CrdtSerializerOptions.Default;
            ICrdtValueCodec<T> codec = CrdtCodecs.For<T>(options);
            byte[] bytes = CrdtSerializer.SerializeToBytes(value, codec, options);
            if (golden is not null)
            {
                Expect(bytes.AsSpan().SequenceEqual(ReadGolden(golden)), $"{name}: binary encoding equals golden/{golden}.hex");
            }

            T decoded = CrdtSerializer.Deserialize(bytes, codec, options);
            Expect(decoded.Equals(value) && decoded.GetHashCode() == value.GetHashCode(), $"{name}: binary round trip is equal");
            Expect(ReferenceEquals(value.Merge(decoded), value), $"{name}: merging an equal copy returns the same instance");
            Expect(ReferenceEquals(value.Merge(T.Empty), value) && T.Empty.Merge(value).Equals(value), $"{name}: Empty is the merge identity");

            var info = (JsonTypeInfo<T>)(json ?? Json<T>()).GetTypeInfo(typeof(T));
            string text = JsonSerializer.Serialize(value, info);
            T? fromJson = JsonSerializer.Deserialize(text, info);
            Expect(fromJson is not null && fromJson.Equals(value), $"{name}: JSON round trip is equal ({text})");
            Expect(fromJson is not null && JsonSerializer.Serialize(fromJson, info) == text, $"{name}: JSON is canonical");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Expect(false, $"{name}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Checks that two replicas' states merge to the same value in both orders, and that the result includes both.</summary>
    public void Converges<T>(string name, T left, T right)
        where T : class, ICrdt<T>
    {
        T leftFirst = left.Merge(right);
        T rightFirst = right.Merge(left);
        Expect(leftFirst.Equals(rightFirst), $"{name}: merge is commutative");
        Expect(ReferenceEquals(leftFirst.Merge(left), leftFirst) && ReferenceEquals(leftFirst.Merge(right), leftFirst), $"{name}: the merge includes both sides");
    }

    /// <summary>JSON options that know the element types from a source-generated context and <typeparamref name="T"/> from Sync.Crdt.</summary>
    public static JsonSerializerOptions Json<T>()
        where T : class, ICrdt<T> =>
        new JsonSerializerOptions { TypeInfoResolver = ElementJsonContext.Default }.AddSyncCrdt<T>();

    private byte[] ReadGolden(string name)
    {
        var hex = new List<char>();
        foreach (string line in File.ReadAllLines(Path.Combine(goldenFolder, name + ".hex")))
        {
            if (!line.StartsWith('#'))
            {
                foreach (char c in line)
                {
                    if (!char.IsWhiteSpace(c))
                    {
                        hex.Add(c);
                    }
                }
            }
        }

        return Convert.FromHexString(hex.ToArray());
    }
}
