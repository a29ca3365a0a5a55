using System;
using System.IO;

namespace Sync.Crdt.TestSupport;

/// <summary>Finds the repository and the test data it carries (<c>testdata/</c>) from the test's working directory.</summary>
public static class SharedData
{
    /// <summary>
    /// Returns the path of <c>testdata/traces</c> in the repository. Throws <see cref="DirectoryNotFoundException"/> when
    /// it is missing: the traces are part of the repository, so a test that needs them fails instead of passing silently.
    /// </summary>
    public static string TracesDirectory()
    {
        string repo = RepositoryRoot() ?? throw new DirectoryNotFoundException("Repository root (Sync.Crdt.sln) not found above " + AppContext.BaseDirectory);
        string traces = Path.Combine(repo, "testdata", "traces");
        return Directory.Exists(traces)
            ? traces
            : throw new DirectoryNotFoundException($"The editing traces are missing: expected {traces} (they are part of the repository).");
    }

    /// <summary>Returns the path of one trace file, <c>testdata/traces/{folder}/{file}</c>; throws <see cref="FileNotFoundException"/> when it is missing.</summary>
    public static string TraceFile(string folder, string file)
    {
        string path = Path.Combine(TracesDirectory(), folder, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Editing trace missing: {path}", path);
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
