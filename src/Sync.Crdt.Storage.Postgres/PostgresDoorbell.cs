using System;
using System.Globalization;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>
/// The NOTIFY payload a commit sends: <c>1 {sender} {head} {document}</c> (format version, the sending store's random
/// token, the head after the commit in decimal, the document name), separated by single spaces. The document name is
/// last, so it may contain spaces. At most 1024 UTF-16 code units of name make at most 3072 UTF-8 bytes, well under
/// PostgreSQL's 8000-byte payload limit.
/// </summary>
internal static class PostgresDoorbell
{
    private const string Version = "1";

    public static string Format(string sender, long head, string document) =>
        string.Create(CultureInfo.InvariantCulture, $"{Version} {sender} {head} {document}");

    /// <summary>Parses a payload; false for anything malformed or of another format version (ignored by the listener).</summary>
    public static bool TryParse(string payload, out string sender, out long head, out string document)
    {
        sender = string.Empty;
        head = 0;
        document = string.Empty;
        if (payload is null || !payload.StartsWith(Version + " ", StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> rest = payload.AsSpan(Version.Length + 1);
        int space = rest.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> senderSpan = rest[..space];
        rest = rest[(space + 1)..];
        space = rest.IndexOf(' ');
        if (space <= 0 || !long.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out head) || space + 1 >= rest.Length)
        {
            return false;
        }

        sender = senderSpan.ToString();
        document = rest[(space + 1)..].ToString();
        return true;
    }
}
