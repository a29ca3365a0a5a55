using System;
using System.IO;

namespace Sync.Crdt.TestSupport;

/// <summary>Finds the shared data folder (<c>../shared</c> beside the repository) from the test's working directory.</summary>
public static class SharedData
{
    /// <summary>Returns the path of <c>shared/traces</c>, or <see langword="null"/> when no such folder is found.</summary>
    public static string? TracesDirectory()
    {
        string? repo = RepositoryRoot();
        if (repo is null)
        {
            return null;
        }

        string candidate = Path.GetFullPath(Path.Combine(repo, "..", "shared", "traces"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary>Returns the repository root: the nearest ancestor of the test assembly's folder that holds <c>Sync.Crdt.sln</c>.</summary>
    public static string? RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sync.Crdt.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
