using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

/// <summary>
/// Pins the replication wire and disk formats: <c>Golden/v&lt;N&gt;/&lt;sample&gt;.hex</c> holds the bytes format
/// version N wrote for each message kind, snapshot and log entry. The current version's files must match what the
/// serializer writes today, byte for byte, and every file must still deserialize to its sample (stores keep these
/// bytes on disk). Regenerate on purpose only, with <c>SYNC_CRDT_REGENERATE_GOLDEN=1</c>, and review the diff.
/// </summary>
public class GoldenFormatTests
{
    private const string RegenerateVariable = "SYNC_CRDT_REGENERATE_GOLDEN";

    private static readonly ReplicationSerializer Serializer = new([
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.String)),
    ]);

    private static readonly ReplicaId Alice = new("alice");
    private static readonly ReplicaId Bob = new("bob");
    private static readonly VersionVector Wide = VersionVector.Create(new Dot(Alice, 3), new Dot(Bob, 300), new Dot("東京", long.MaxValue));
    private static readonly VersionVector One = VersionVector.Create(new Dot(Alice, 1));
    private static readonly VersionVector Two = VersionVector.Create(new Dot(Alice, 2), new Dot(Bob, 1));

    public static TheoryData<string> Names => new(Samples().Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Serialize_CurrentVersion_MatchesGoldenFile(string name)
    {
        Sample sample = Samples().Single(s => s.Name == name);
        byte[] actual = sample.Serialize();
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            Regenerate(sample, actual);
            return;
        }

        string path = Path.Combine(AppContext.BaseDirectory, "Golden", "v" + CrdtSerializer.FormatVersion, name + ".hex");
        Assert.True(File.Exists(path), $"No golden file for '{name}'. Generate it with {RegenerateVariable}=1 and commit it.");
        byte[] golden = Read(path);
        Assert.True(golden.AsSpan().SequenceEqual(actual), $"The format of '{name}' changed; a released format must not change.\nGolden: {Convert.ToHexString(golden)}\nActual: {Convert.ToHexString(actual)}");
    }

    [Fact]
    public void EveryGoldenFile_DeserializesToItsSample()
    {
        string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.hex", SearchOption.AllDirectories);
        Assert.True(files.Length >= Samples().Count, $"expected at least {Samples().Count} golden files, found {files.Length}");
        foreach (string file in files)
        {
            Sample sample = Samples().Single(s => s.Name == Path.GetFileNameWithoutExtension(file));
            byte[] bytes = Read(file);
            Assert.True(sample.RoundTrips(bytes), $"{file} no longer deserializes to its sample");
        }
    }

    private static List<Sample> Samples()
    {
        ORSet<string> cart = ORSet<string>.Empty.Add(Alice, "milk", out ORSet<string> added).Add(Bob, "eggs");
        GCounter views = GCounter.Empty.Increment(Alice, 5).Increment(Bob, 2);
        LWWMap<string, string> names = LWWMap<string, string>.Empty.Put(new LWWTimestamp(7, Bob), "title", "Shopping");
        KeyValuePair<string, ReplicatedValue>[] values =
        [
            new("cart", ReplicatedValue.Create(cart)),
            new("names", ReplicatedValue.Create(names)),
            new("views", ReplicatedValue.Create(views)),
        ];

        return
        [
            Message("digest", new DigestMessage(Alice, Wide)),
            Message("digest-empty", new DigestMessage(Bob, VersionVector.Empty)),
            Message("delta-group", new DeltaGroupMessage(Bob, One, Two, [new("cart", ReplicatedValue.Create(added)), new("views", ReplicatedValue.Create(GCounter.Empty.Increment(Bob, 2)))])),
            Message("full-state", new FullStateMessage(Alice, Two, values)),
            new Sample("snapshot", () => Serializer.SerializeToBytes(new ReplicatorSnapshot(Alice, Two, values)), bytes => Serializer.SerializeToBytes(Serializer.DeserializeSnapshot(bytes))),
            new Sample("log-entry", () => Serializer.SerializeToBytes(new DeltaLogEntry(One, Two, values)), bytes => Serializer.SerializeToBytes(Serializer.DeserializeLogEntry(bytes))),
        ];
    }

    private static Sample Message(string name, ReplicationMessage message) =>
        new(name, () => Serializer.SerializeToBytes(message), bytes => Serializer.SerializeToBytes(Serializer.Deserialize(bytes)));

    private static byte[] Read(string path) =>
        Convert.FromHexString(string.Concat(File.ReadAllLines(path).Where(l => !l.StartsWith('#')).SelectMany(l => l.Where(c => !char.IsWhiteSpace(c)))));

    private static void Regenerate(Sample sample, byte[] bytes)
    {
        string root = SharedData.RepositoryRoot() ?? throw new InvalidOperationException("Repository root not found.");
        string folder = Path.Combine(root, "tests", "Sync.Crdt.Replication.Tests", "Golden", "v" + CrdtSerializer.FormatVersion);
        Directory.CreateDirectory(folder);
        var text = new StringBuilder("# ").Append(sample.Name).Append('\n');
        string hex = Convert.ToHexString(bytes).ToLowerInvariant();
        for (int i = 0; i < hex.Length; i += 64)
        {
            text.Append(hex.AsSpan(i, Math.Min(64, hex.Length - i))).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, sample.Name + ".hex"), text.ToString());
    }

    /// <summary>A golden sample: how to serialize it, and how to reserialize what a file deserializes to.</summary>
    private sealed record Sample(string Name, Func<byte[]> Serialize, Func<byte[], byte[]> Reserialize)
    {
        public bool RoundTrips(byte[] golden) => Reserialize(golden).AsSpan().SequenceEqual(Serialize());
    }
}
