using System;
using System.IO;
using Sync.Crdt.AotSmoke;

// Encodes, decodes and merges every CRDT type through the reflection-free paths, compiled with NativeAOT, and compares
// the binary encodings with the golden vectors the JIT-compiled tests pin; then runs the sync server (ASP.NET Core,
// Kestrel, SQLite store) and two sync clients in this process over a loopback WebSocket until they converge.
// Exits with 1 on any failure.
string root = args.Length > 0 ? args[0] : FindRepositoryRoot(AppContext.BaseDirectory);
var smoke = new SmokeCheck(Path.Combine(root, "tests", "Sync.Crdt.Tests", "Encoding", "Golden", "v1"));
CrdtChecks.Run(smoke);
ReplicationCheck.Run(smoke);
await SyncCheck.RunAsync(smoke);
Console.WriteLine($"aot smoke: {smoke.Passed} checks passed, {smoke.Failed} failed");
return smoke.Failed == 0 ? 0 : 1;

static string FindRepositoryRoot(string start)
{
    for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Sync.Crdt.sln")))
        {
            return directory.FullName;
        }
    }

    throw new DirectoryNotFoundException($"Sync.Crdt.sln not found above {start}; pass the repository root as the first argument.");
}
