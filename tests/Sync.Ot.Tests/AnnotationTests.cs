using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class AnnotationTests
{
    [Fact]
    public void PublicTypes_AreAnnotated_AndImmutableTypesHaveNoWritableFields() =>
        AnnotationAssert.AllPublicTypesAnnotated(typeof(TextOperation).Assembly);
}
