using Sync.Crdt.TestSupport.PublicApi;

namespace Sync.Crdt.Tests;

/// <summary>Pins the public surface of Sync.Crdt (tests/Sync.Crdt.Tests/PublicApi/Sync.Crdt.approved.txt) so an accidental break shows in review.</summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedList() => PublicApiAssert.MatchesApproved(typeof(Sync.Crdt.Causality.VersionVector).Assembly);
}
