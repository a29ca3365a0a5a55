using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

public class AnnotationTests
{
    [Fact]
    public void PublicTypes_AreAnnotated_AndImmutableTypesHaveNoWritableFields() =>
        AnnotationAssert.AllPublicTypesAnnotated(typeof(DeltaReplicator).Assembly);
}
