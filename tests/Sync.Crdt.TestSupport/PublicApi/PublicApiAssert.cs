using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Sync.Crdt.TestSupport.PublicApi;

/// <summary>
/// Approval test for a shipped assembly's public API: compares <see cref="PublicApiText.Generate"/> with the
/// checked-in file <c>tests/&lt;Assembly&gt;.Tests/PublicApi/&lt;Assembly&gt;.approved.txt</c>. On a difference it writes
/// a <c>.received.txt</c> beside it and fails with the changed lines; set <c>SYNC_CRDT_ACCEPT_API=1</c> to accept.
/// </summary>
public static class PublicApiAssert
{
    /// <summary>Fails when the public API of <paramref name="assembly"/> differs from the approved file.</summary>
    public static void MatchesApproved(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string name = assembly.GetName().Name!;
        string root = SharedData.RepositoryRoot() ?? throw new InvalidOperationException("Repository root (Sync.Crdt.sln) not found above the test folder.");
        string folder = Path.Combine(root, "tests", name + ".Tests", "PublicApi");
        string approvedPath = Path.Combine(folder, name + ".approved.txt");
        string receivedPath = Path.Combine(folder, name + ".received.txt");
        string actual = PublicApiText.Generate(assembly);
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : string.Empty;
        if (actual == approved)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        Directory.CreateDirectory(folder);
        if (Environment.GetEnvironmentVariable("SYNC_CRDT_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        string[] before = approved.Split('\n');
        string[] after = actual.Split('\n');
        string removed = string.Join("\n", before.Except(after, StringComparer.Ordinal).Select(l => "- " + l));
        string added = string.Join("\n", after.Except(before, StringComparer.Ordinal).Select(l => "+ " + l));
        Assert.Fail($"The public API of {name} changed. Review {receivedPath}; accept with SYNC_CRDT_ACCEPT_API=1.\n{removed}\n{added}");
    }
}
