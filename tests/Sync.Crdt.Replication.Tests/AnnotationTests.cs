using Sync.Crdt.TestSupport;
using Sync.Crdt.TestSupport.PublicApi;

namespace Sync.Crdt.Replication.Tests;

public class AnnotationTests
{
    [Fact]
    public void PublicTypes_AreAnnotated_AndImmutableTypesHaveNoWritableFields() =>
        AnnotationAssert.AllPublicTypesAnnotated(typeof(DeltaReplicator).Assembly);

    [Fact]
    public void PublicApi_MatchesApprovedFile() =>
        PublicApiAssert.MatchesApproved(typeof(DeltaReplicator).Assembly);
}
