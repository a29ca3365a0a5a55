using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// Mutation fuzzing of the decoders in the normal test run: valid encodings of every golden sample (and of
/// larger values) are bit-flipped, truncated, spliced, extended and patched with huge length fields. The only
/// acceptable outcomes are a <see cref="CrdtFormatException"/>, or a value whose encoding is exactly the
/// mutated input (decoders accept only canonical encodings, so success means the mutation produced another
/// valid message). Seeded: a failure prints the seed; replay with SYNC_CRDT_SEED.
/// </summary>
public class FuzzTests
{
    private const int Iterations = 100_000;

    private static readonly byte[][] HugeVarints =
    [
        [0xff, 0xff, 0xff, 0xff, 0x07],
        [0xfe, 0xff, 0xff, 0xff, 0x07],
        [0xff, 0xff, 0xff, 0xff, 0x0f],
        [0x80, 0x80, 0x80, 0x80, 0x08],
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        [0x80, 0x80, 0x40],
    ];

    [Fact]
    public void Decode_MutatedEncodings_OnlyFormatExceptionsOrCanonicalValues()
    {
        ulong seed = PropertyCheck.SeedFor(nameof(Decode_MutatedEncodings_OnlyFormatExceptionsOrCanonicalValues));
        var random = new Random((int)(seed ^ (seed >> 32)));
        List<(GoldenSample Sample, byte[] Bytes)> seeds = Seeds();
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < Iterations; i++)
        {
            (GoldenSample sample, byte[] original) = seeds[random.Next(seeds.Count)];
            byte[] mutated = original;
            int mutations = 1 + random.Next(3);
            for (int m = 0; m < mutations; m++)
            {
                mutated = Mutate(mutated, seeds[random.Next(seeds.Count)].Bytes, random);
            }

            try
            {
                byte[] reencoded = sample.Reencode(mutated);
                accepted++;
                if (sample.Canonical && !reencoded.AsSpan().SequenceEqual(mutated))
                {
                    Assert.Fail($"Seed {seed}, iteration {i}: '{sample.Name}' accepted a non-canonical encoding.\nInput:      {Hex.Format(mutated)}Re-encoded: {Hex.Format(reencoded)}");
                }

                Assert.True(reencoded.AsSpan().SequenceEqual(sample.Reencode(reencoded)), $"Seed {seed}, iteration {i}: '{sample.Name}' re-encodes non-deterministically.");
            }
            catch (CrdtFormatException)
            {
                rejected++;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Seed {seed} (replay: SYNC_CRDT_SEED={seed}), iteration {i}: decoding '{sample.Name}' threw {ex.GetType().Name}: {ex.Message}\nInput: {Hex.Format(mutated)}{ex}");
            }
        }

        Assert.Equal(Iterations, accepted + rejected);
        Assert.True(rejected > Iterations / 2, $"Only {rejected} of {Iterations} mutations were rejected; the mutator is too gentle.");
    }

    private static List<(GoldenSample Sample, byte[] Bytes)> Seeds()
    {
        var seeds = GoldenSamples.All.Select(s => (s, s.Encode())).ToList();
        var replicas = Enumerable.Range(0, 40).Select(i => new ReplicaId("r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        CausalContext large = CausalContext.Create(
            VersionVector.Create(replicas.Take(30).Select((r, i) => new Dot(r, 1 + (i * 37)))),
            replicas.Skip(10).Select((r, i) => new Dot(r, 2000 + i)));
        GoldenSample largeContext = GoldenSample.Create("fuzz-large-context", large);
        seeds.Add((largeContext, largeContext.Encode()));
        foreach (GoldenSample sample in GoldenSamples.Fuzz())
        {
            seeds.Add((sample, sample.Encode()));
        }

        return seeds;
    }

    private static byte[] Mutate(byte[] input, byte[] other, Random random)
    {
        if (input.Length == 0)
        {
            return [(byte)random.Next(256)];
        }

        byte[] output;
        int at = random.Next(input.Length);
        switch (random.Next(9))
        {
            case 0:
            case 1:
                output = (byte[])input.Clone();
                output[at] ^= (byte)(1 << random.Next(8));
                return output;
            case 2:
                output = (byte[])input.Clone();
                output[at] = (byte)random.Next(256);
                return output;
            case 3:
                return input[..random.Next(input.Length)];
            case 4:
                int cut = random.Next(other.Length + 1);
                return [.. input.AsSpan(0, at), .. other.AsSpan(cut)];
            case 5:
                byte[] noise = new byte[1 + random.Next(8)];
                random.NextBytes(noise);
                return [.. input.AsSpan(0, at), .. noise, .. input.AsSpan(at)];
            case 6:
                int length = Math.Min(input.Length - at, 1 + random.Next(8));
                return [.. input.AsSpan(0, at), .. input.AsSpan(at + length)];
            case 7:
                byte[] huge = HugeVarints[random.Next(HugeVarints.Length)];
                bool overwrite = random.Next(2) == 0;
                int resume = overwrite ? Math.Min(input.Length, at + 1) : at;
                return [.. input.AsSpan(0, at), .. huge, .. input.AsSpan(resume)];
            default:
                int span = Math.Min(input.Length - at, 1 + random.Next(12));
                return [.. input.AsSpan(0, at + span), .. input.AsSpan(at, span), .. input.AsSpan(at + span)];
        }
    }
}
