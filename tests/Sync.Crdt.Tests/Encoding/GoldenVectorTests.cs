using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// Pins the wire format. <c>Golden/v&lt;N&gt;/&lt;sample&gt;.hex</c> holds the bytes format version N wrote for each
/// sample. The current version's files must match what the encoder writes today, byte for byte; every file of
/// every version must still decode to its sample's value.
/// </summary>
/// <remarks>
/// To regenerate the current version's files after a deliberate format change (which also requires a new format
/// version — never rewrite a released version's bytes), run the tests once with
/// <c>SYNC_CRDT_REGENERATE_GOLDEN=1</c>; this writes into the source tree, and the diff must be reviewed.
/// </remarks>
public class GoldenVectorTests
{
    private const string RegenerateVariable = "SYNC_CRDT_REGENERATE_GOLDEN";

    public static TheoryData<string> SampleNames => new(GoldenSamples.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void GetSerializedSize_EverySample_EqualsTheEncodedLength(string name)
    {
        GoldenSample sample = GoldenSamples.Named(name);
        int expected = sample.Encode().Length;
        Assert.Equal(expected, sample.Size());

        // Measuring leaves the cached writer ready for real encoding: the bytes are still the same.
        Assert.Equal(expected, sample.Encode().Length);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Encode_CurrentVersion_MatchesGoldenFile(string name)
    {
        GoldenSample sample = GoldenSamples.Named(name);
        byte[] actual = sample.Encode();
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            Regenerate(sample, actual);
            return;
        }

        string path = Path.Combine(OutputFolder(CrdtSerializer.FormatVersion), name + ".hex");
        Assert.True(File.Exists(path), $"No golden file for sample '{name}'. Generate it with {RegenerateVariable}=1 and commit it.");
        byte[] expected = Read(path);
        Assert.True(
            expected.AsSpan().SequenceEqual(actual),
            $"The encoding of '{name}' changed. A released format must not change: bump the format version instead.\nGolden: {Hex.Format(expected)}Actual: {Hex.Format(actual)}");
    }

    [Fact]
    public void Decode_EveryGoldenFileOfEveryVersion_GivesSampleValue()
    {
        string root = Path.Combine(AppContext.BaseDirectory, "Encoding", "Golden");
        string[] files = Directory.GetFiles(root, "*.hex", SearchOption.AllDirectories);
        Assert.True(files.Length >= GoldenSamples.All.Count, $"Expected at least {GoldenSamples.All.Count} golden files under {root}, found {files.Length}.");
        var names = GoldenSamples.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string file in files)
        {
            string name = Path.GetFileNameWithoutExtension(file);
            Assert.True(names.Contains(name), $"Golden file {file} has no sample: samples are never removed.");
            Assert.True(GoldenSamples.Named(name).DecodesToValue(Read(file)), $"{file} no longer decodes to its sample value.");
        }
    }

    [Fact]
    public void GoldenFile_OneByteChanged_IsDetected()
    {
        // Guards the guard: a golden comparison must see a single changed byte.
        GoldenSample sample = GoldenSamples.Named("version-vector");
        byte[] golden = Read(Path.Combine(OutputFolder(CrdtSerializer.FormatVersion), sample.Name + ".hex"));
        byte[] changed = (byte[])golden.Clone();
        changed[^1] ^= 1;
        Assert.False(changed.AsSpan().SequenceEqual(sample.Encode()));
        Assert.True(golden.AsSpan().SequenceEqual(sample.Encode()));
    }

    internal static byte[] Read(string path)
    {
        IEnumerable<string> lines = File.ReadAllLines(path).Where(l => !l.StartsWith('#'));
        return Hex.Parse(string.Concat(lines));
    }

    private static string OutputFolder(int version) =>
        Path.Combine(AppContext.BaseDirectory, "Encoding", "Golden", "v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void Regenerate(GoldenSample sample, byte[] bytes)
    {
        string root = SharedData.RepositoryRoot() ?? throw new InvalidOperationException("Repository root not found.");
        string folder = Path.Combine(root, "tests", "Sync.Crdt.Tests", "Encoding", "Golden", "v" + CrdtSerializer.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        text.Append("# ").Append(sample.Description.Replace('\n', ' ')).Append('\n');
        text.Append(Hex.Format(bytes));
        File.WriteAllText(Path.Combine(folder, sample.Name + ".hex"), text.ToString());
    }
}
