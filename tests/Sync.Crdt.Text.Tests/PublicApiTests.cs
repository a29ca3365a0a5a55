using Sync.Crdt.TestSupport.PublicApi;

namespace Sync.Crdt.Text.Tests;

/// <summary>Pins the public surface of Sync.Crdt.Text (tests/Sync.Crdt.Text.Tests/PublicApi/Sync.Crdt.Text.approved.txt) so an accidental break shows in review.</summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedList() => PublicApiAssert.MatchesApproved(typeof(Sync.Crdt.Text.TextDocument).Assembly);
}
