using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Text.Tests;

public class AnnotationTests
{
    [Fact]
    public void PublicTypes_AreAnnotated_AndImmutableTypesHaveNoWritableFields() =>
        AnnotationAssert.AllPublicTypesAnnotated(typeof(TextDocument).Assembly);
}
