using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests;

public class AnnotationTests
{
    [Fact]
    public void PublicTypes_AreAnnotated_AndImmutableTypesHaveNoWritableFields() =>
        AnnotationAssert.AllPublicTypesAnnotated(typeof(VersionVector).Assembly);
}
