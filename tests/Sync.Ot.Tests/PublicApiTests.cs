using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

/// <summary>
/// Pins the public surface of Sync.Ot in PublicApi.approved.txt so that an accidental break shows up in review.
/// On a difference the test writes PublicApi.received.txt to its output folder (the message names it and the first
/// differing lines); copy it over the approved file when the change is intended.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedList()
    {
        string actual = Describe(typeof(TextOperation).Assembly);
        string? root = SharedData.RepositoryRoot();
        Assert.NotNull(root);
        string folder = Path.Combine(root, "tests", "Sync.Ot.Tests");
        string approvedPath = Path.Combine(folder, "PublicApi.approved.txt");
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved != actual)
        {
            string received = Path.Combine(AppContext.BaseDirectory, "PublicApi.received.txt");
            File.WriteAllText(received, actual);
            string[] approvedLines = approved.Split('\n');
            string[] actualLines = actual.Split('\n');
            string added = string.Join("\n", actualLines.Except(approvedLines, StringComparer.Ordinal).Take(10));
            string removed = string.Join("\n", approvedLines.Except(actualLines, StringComparer.Ordinal).Take(10));
            Assert.Fail($"The public API changed (full list: {received}).\nAdded:\n{added}\nRemoved:\n{removed}");
        }
    }

    private static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string kind = type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface" : "class";
            string bases = string.Join(", ", new[] { type.BaseType }.Concat(type.GetInterfaces())
                .Where(t => t is not null && t != typeof(object) && t != typeof(ValueType) && t != typeof(Enum))
                .Select(t => t!.ToString())
                .OrderBy(n => n, StringComparer.Ordinal));
            text.Append(kind).Append(' ').Append(type.FullName).Append(bases.Length > 0 ? " : " + bases : string.Empty).Append('\n');
            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (string member in type.GetMembers(Flags)
                .Where(m => m is not MethodInfo { IsSpecialName: true } || m.Name.StartsWith("op_", StringComparison.Ordinal))
                .Select(m => m.MemberType + " " + m)
                .OrderBy(m => m, StringComparer.Ordinal))
            {
                text.Append("    ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }
}
