using System;
using System.Text;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>Hex text for golden files and failure messages: lowercase, 32 bytes per line.</summary>
internal static class Hex
{
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        for (int i = 0; i < bytes.Length; i++)
        {
            text.Append(bytes[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            text.Append((i % 32 == 31 || i == bytes.Length - 1) ? "\n" : " ");
        }

        return text.ToString();
    }

    public static byte[] Parse(string text)
    {
        var compact = new StringBuilder();
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
            }
        }

        return Convert.FromHexString(compact.ToString());
    }
}
