using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Sync.Crdt.Docs.Tests;

/// <summary>Every C# sample of the user docs compiles against the built packages (fragments are marked and skipped).</summary>
public sealed class DocSampleTests
{
    public static TheoryData<string, int> Samples()
    {
        var data = new TheoryData<string, int>();
        string root = DocSamples.RepositoryRoot();
        foreach (string document in DocSamples.Documents)
        {
            (List<DocSample> samples, _) = DocSamples.Parse(document, File.ReadAllText(Path.Combine(root, document)));
            foreach (DocSample sample in samples.Where(s => !s.IsFragment))
            {
                data.Add(document, sample.Line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_Compiles(string document, int line)
    {
        (List<DocSample> samples, string context) = DocSamples.Parse(document, File.ReadAllText(Path.Combine(DocSamples.RepositoryRoot(), document)));
        DocSample sample = samples.Single(s => s.Line == line);
        IReadOnlyList<Diagnostic> errors = SampleCompiler.Errors(sample.Code, context, document, line);
        Assert.True(errors.Count == 0, $"The sample at {document}:{line} does not compile:\n" + string.Join('\n', errors.Select(e => e.ToString())));
    }

    [Fact]
    public void EveryDocumentWithCSharpHasCompiledSamples()
    {
        // The docs this test covers hold samples (a parser that finds none would pass vacuously).
        Assert.True(Samples().Count() >= 4, $"only {Samples().Count()} samples found");
    }

    [Fact]
    public void BrokenSample_IsReported()
    {
        IReadOnlyList<Diagnostic> errors = SampleCompiler.Errors("CrdtSyncClient client = new CrdtSyncClient(42);\nint n = \"text\";", string.Empty, "broken.md", 1);
        Assert.Contains(errors, e => e.Id == "CS1503");
        Assert.Contains(errors, e => e.Id == "CS0029");
    }

    [Fact]
    public void TypeOnlySample_CompilesAsALibrary_AndItsErrorsAreReported()
    {
        Assert.Empty(SampleCompiler.Errors("public sealed class Counter\n{\n    public int Value { get; set; }\n}\n", string.Empty, "types.md", 1));
        IReadOnlyList<Diagnostic> errors = SampleCompiler.Errors("public sealed class Counter : IMergeable<Counter>\n{\n}\n", string.Empty, "types.md", 1);
        Assert.Contains(errors, e => e.Id == "CS0535");
    }

    [Fact]
    public void Parser_FindsBlocksMarkersAndContext()
    {
        const string markdown = "# T\n<!-- sample-context\nusing System.Text;\nstatic int x = 1;\n-->\n```csharp\nint a = x;\n```\n<!-- sample: fragment -->\n  ```csharp\n  partial;\n  ```\n```sql\nselect 1;\n```\n";
        (List<DocSample> samples, string context) = DocSamples.Parse("t.md", markdown);
        Assert.Equal(2, samples.Count);
        Assert.Equal(7, samples[0].Line);
        Assert.False(samples[0].IsFragment);
        Assert.Equal("int a = x;\n", samples[0].Code.Replace("\r\n", "\n", System.StringComparison.Ordinal));
        Assert.True(samples[1].IsFragment);
        Assert.Equal("partial;\n", samples[1].Code.Replace("\r\n", "\n", System.StringComparison.Ordinal));
        Assert.Contains("static int x = 1;", context, System.StringComparison.Ordinal);
    }
}
