using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>
/// The load profile, identical for the Sync.Crdt server and the peer (benchmarks/peers/hocuspocus-load.mjs):
/// <see cref="Documents"/> text documents, <see cref="Connections"/> typing clients spread evenly over them (one socket
/// each) plus one listening observer per document. Steady: every writer inserts one character at a random position
/// <see cref="Rate"/> times per second (uniform jitter) for <see cref="Seconds"/> after one second of warm-up. Burst:
/// every writer then inserts <see cref="Burst"/> characters back to back.
/// </summary>
internal sealed record LoadProfile(int Connections, int Documents, double Rate, int Seconds, int Burst, int Seed)
{
    public static LoadProfile Parse(string[] args)
    {
        int connections = 500, documents = 50, seconds = 20, burst = 20, seed = 42;
        double rate = 2;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            switch (args[i])
            {
                case "--connections": connections = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--documents": documents = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--burst": burst = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--peer" or "--postgres" or "--nodes": break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (connections < documents || documents < 1 || rate <= 0 || seconds < 1 || burst < 0)
        {
            throw new ArgumentException("need connections >= documents >= 1, rate > 0, seconds >= 1, burst >= 0");
        }

        return new LoadProfile(connections, documents, rate, seconds, burst, seed);
    }

    public string ToArguments() => string.Create(
        CultureInfo.InvariantCulture,
        $"--connections {Connections} --documents {Documents} --rate {Rate} --seconds {Seconds} --burst {Burst} --seed {Seed}");
}
