using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Sync.Crdt.Docs.Tests;

/// <summary>A C# code block of a Markdown document.</summary>
/// <param name="Document">The document's path relative to the repository.</param>
/// <param name="Line">The 1-based line of the block's first code line.</param>
/// <param name="Code">The code, with the fence's indentation removed.</param>
/// <param name="IsFragment">Whether the block is marked <c>&lt;!-- sample: fragment --&gt;</c> (not compiled).</param>
public sealed record DocSample(string Document, int Line, string Code, bool IsFragment);

/// <summary>
/// Reads the C# samples of the user docs: every fenced block whose info string is <c>csharp</c>, <c>cs</c> or <c>c#</c>.
/// A block preceded by the line <c>&lt;!-- sample: fragment --&gt;</c> is intentionally incomplete and not compiled.
/// A document may declare what its samples assume (static members such as <c>static IAuth auth = null!;</c>, and
/// <c>using</c> directives) in a hidden comment that starts with the line <c>&lt;!-- sample-context</c> and ends with
/// <c>--&gt;</c>.
/// </summary>
public static class DocSamples
{
    public const string FragmentMarker = "<!-- sample: fragment -->";
    public const string ContextStart = "<!-- sample-context";
    public const string ContextEnd = "-->";

    /// <summary>The documents whose samples are compiled.</summary>
    public static readonly string[] Documents =
    [
        "README.md", "docs/server.md", "docs/storage.md", "docs/sync-protocol.md", "docs/scale-out.md", "docs/ot.md",
        "docs/replication.md", "docs/text.md", "docs/wire-format.md", "docs/testing-your-types.md",
    ];

    /// <summary>Finds the repository root (the directory holding Sync.Crdt.sln) above the test's output.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sync.Crdt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sync.Crdt.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Parses the samples and the context of a Markdown text.</summary>
    public static (List<DocSample> Samples, string Context) Parse(string document, string markdown)
    {
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var samples = new List<DocSample>();
        var context = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].Trim();
            if (trimmed == ContextStart)
            {
                for (i++; i < lines.Length && lines[i].Trim() != ContextEnd; i++)
                {
                    context.AppendLine(lines[i]);
                }

                continue;
            }

            if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            string info = trimmed[3..].Trim();
            int indent = lines[i].Length - lines[i].TrimStart().Length;
            bool fragment = PreviousNonBlank(lines, i) == FragmentMarker;
            int start = i + 1;
            var code = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++)
            {
                string line = lines[i];
                code.AppendLine(line.Length >= indent && string.IsNullOrWhiteSpace(line[..indent]) ? line[indent..] : line.TrimStart());
            }

            if (info is "csharp" or "cs" or "c#")
            {
                samples.Add(new DocSample(document, start + 1, code.ToString(), fragment));
            }
        }

        return (samples, context.ToString());
    }

    private static string PreviousNonBlank(string[] lines, int index)
    {
        for (int j = index - 1; j >= 0; j--)
        {
            if (!string.IsNullOrWhiteSpace(lines[j]))
            {
                return lines[j].Trim();
            }
        }

        return string.Empty;
    }
}
