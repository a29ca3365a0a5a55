using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Testing;
using Sync.Crdt.TestSupport.Conformance;

namespace Sync.Crdt.Tests.Conformance;

/// <summary>Version vectors over replicas a..e with counters up to 6 (0: absent).</summary>
public sealed class VersionVectorConformance : LatticeConformance<VersionVector>
{
    internal static CrdtGen<VersionVector> Vectors =>
        CrdtGen.ListOf(CrdtGen.Int64(0, 6), maxLength: 5, minLength: 5)
            .Select(counters => VersionVector.Create(counters
                .Select((counter, i) => (counter, i))
                .Where(e => e.counter > 0)
                .Select(e => new Dot(((char)('a' + e.i)).ToString(), e.counter))));

    protected override ICrdtValueCodec<VersionVector> Codec => CrdtCodecs.VersionVector;

    protected override VersionVector GoldenValue => VersionVector.Create(new Dot("a", 3), new Dot("b", 300), new Dot("東京", long.MaxValue));

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("version-vector");

    protected override CrdtCheck<VersionVector> CreateCheck() =>
        CrdtCheck.For<VersionVector>().WithEmpty(VersionVector.Empty).WithValues(Vectors);
}

/// <summary>Causal contexts: a version vector plus a cloud of out-of-order dots.</summary>
public sealed class CausalContextConformance : LatticeConformance<CausalContext>
{
    private static CrdtGen<CausalContext> Contexts =>
        from vector in VersionVectorConformance.Vectors
        from cloud in CrdtGen.ListOf(
            from replica in CrdtGen.Elements("a", "b", "c", "d", "e")
            from counter in CrdtGen.Int64(1, 9)
            select new Dot(replica, counter),
            maxLength: 6)
        select CausalContext.Create(vector, cloud);

    protected override ICrdtValueCodec<CausalContext> Codec => CrdtCodecs.CausalContext;

    protected override CausalContext GoldenValue => CausalContext.Create(VersionVector.Create(new Dot("x", 9)));

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("causal-context-compact");

    protected override CrdtCheck<CausalContext> CreateCheck() =>
        CrdtCheck.For<CausalContext>().WithEmpty(CausalContext.Empty).WithValues(Contexts);
}
