using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Sync.Crdt.Benchmarks.Text;

/// <summary>
/// Runs benchmarks/peers/yjs-trace.mjs (Yjs, pinned in benchmarks/peers/package.json) once per process on the same trace
/// and keeps its JSON result. Needs Node on the PATH and <c>npm ci</c> in benchmarks/peers; otherwise the result says why.
/// </summary>
public static class YjsPeer
{
    private static readonly Lazy<JsonElement?> Result = new(Run);

    /// <summary>Gets the problem that prevented running Yjs, or null.</summary>
    public static string? Problem { get; private set; }

    /// <summary>Returns a number from the Yjs result, or null when Yjs could not run.</summary>
    public static double? Get(string field) =>
        Result.Value is JsonElement json && json.TryGetProperty(field, out JsonElement value) ? value.GetDouble() : null;

    private static JsonElement? Run()
    {
        try
        {
            string peers = Path.Combine(TraceFile.RepositoryRoot(), "benchmarks", "peers");
            string trace = Path.Combine(TraceFile.TracesDirectory(), "sequential", "automerge-paper.json.gz");
            if (!Directory.Exists(Path.Combine(peers, "node_modules", "yjs")))
            {
                Problem = "benchmarks/peers/node_modules/yjs missing: run `npm ci` in benchmarks/peers";
                return null;
            }

            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = peers,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--expose-gc");
            start.ArgumentList.Add("yjs-trace.mjs");
            start.ArgumentList.Add(trace);
            start.ArgumentList.Add(Environment.GetEnvironmentVariable("SYNC_CRDT_YJS_RUNS") ?? "5");
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Problem = string.Create(CultureInfo.InvariantCulture, $"node exited with {process.ExitCode}: {error}");
                return null;
            }

            Console.WriteLine("// Yjs peer: " + output.Trim());
            using JsonDocument json = JsonDocument.Parse(output);
            return json.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
        {
            Problem = ex.Message;
            return null;
        }
    }
}
