namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>The NOTIFY payload format (no database needed).</summary>
public class PostgresDoorbellTests
{
    [Xunit.Theory]
    [Xunit.InlineData("doc", 1L)]
    [Xunit.InlineData("a name with spaces: and colons", 9_007_199_254_740_993L)]
    [Xunit.InlineData("ünïcødé 文書 😀", 42L)]
    public void Format_ThenParse_RoundTrips(string document, long head)
    {
        string payload = PostgresDoorbell.Format("abc123", head, document);
        Assert.True(PostgresDoorbell.TryParse(payload, out string sender, out long parsedHead, out string parsedDocument));
        Assert.Equal(("abc123", head, document), (sender, parsedHead, parsedDocument));
    }

    [Xunit.Fact]
    public void Format_LongestName_StaysUnderPostgresPayloadLimit()
    {
        string longest = new('文', Replication.Storage.DocumentCommit.MaxDocumentNameLength);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(PostgresDoorbell.Format("0123456789ab", long.MaxValue, longest)) < 8000);
    }

    [Xunit.Theory]
    [Xunit.InlineData("")]
    [Xunit.InlineData("2 s 1 doc")]
    [Xunit.InlineData("1 s x doc")]
    [Xunit.InlineData("1 s -1 doc")]
    [Xunit.InlineData("1 s 5")]
    [Xunit.InlineData("1 s 5 ")]
    [Xunit.InlineData("1  5 doc")]
    public void TryParse_Malformed_ReturnsFalse(string payload) => Assert.False(PostgresDoorbell.TryParse(payload, out _, out _, out _));
}
