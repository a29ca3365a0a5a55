using Sync.Crdt.TestSupport.PublicApi;

namespace Sync.Ot.Tests;

/// <summary>Pins the public surface of Sync.Ot (tests/Sync.Ot.Tests/PublicApi/Sync.Ot.approved.txt) so an accidental break shows in review.</summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedList() => PublicApiAssert.MatchesApproved(typeof(TextOperation).Assembly);
}
