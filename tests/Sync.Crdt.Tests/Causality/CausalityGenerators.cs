using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Tests.Causality;

internal static class CausalityGenerators
{
    public static readonly ReplicaId[] Replicas = ["a", "b", "c", "d", "e"];

    public static Gen<ReplicaId> Replica => Gen.Elements(Replicas);

    public static Gen<VersionVector> Vector =>
        Gen.ListOf(Gen.Zip(Replica, Gen.Choose(1, 6)))
            .Select(entries => entries
                .GroupBy(e => e.Item1)
                .Select(g => new Dot(g.Key, g.Max(e => e.Item2)))
                .ToArray())
            .Select(dots => VersionVector.Create(dots));

    public static Gen<Dot> SmallDot => Gen.Zip(Replica, Gen.Choose(1, 8)).Select(t => new Dot(t.Item1, t.Item2));

    public static Gen<CausalContext> Context =>
        Gen.Zip(Vector, Gen.ListOf(SmallDot)).Select(t => CausalContext.Create(t.Item1, t.Item2));
}
