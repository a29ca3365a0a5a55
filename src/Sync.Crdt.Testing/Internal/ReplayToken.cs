using System;
using System.Collections.Generic;

namespace Sync.Crdt.Testing.Internal;

/// <summary>
/// A replay token names a check (the value type and the law) and carries the shrunk choice sequence:
/// <c>TypeName|law|choices</c>, the choices as base64url-encoded LEB128 varints.
/// </summary>
internal static class ReplayToken
{
    public static string Create(string typeName, string law, IReadOnlyList<ulong> choices)
    {
        var bytes = new List<byte>(choices.Count * 2);
        foreach (ulong choice in choices)
        {
            ulong value = choice;
            while (value >= 0x80)
            {
                bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            bytes.Add((byte)value);
        }

        string encoded = Convert.ToBase64String(bytes.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return typeName + "|" + law + "|" + encoded;
    }

    /// <summary>The choices of <paramref name="token"/> when it names this type and law; otherwise null.</summary>
    /// <exception cref="ArgumentException">The token names this check but its choices are malformed.</exception>
    public static ulong[]? Match(string? token, string typeName, string law)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        string[] parts = token.Trim().Split('|');
        if (parts.Length != 3 || parts[0] != typeName || parts[1] != law)
        {
            return null;
        }

        string base64 = parts[2].Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The replay token's choices are not valid base64url: " + token, nameof(token), ex);
        }

        var choices = new List<ulong>();
        int i = 0;
        while (i < bytes.Length)
        {
            ulong value = 0;
            int shift = 0;
            while (true)
            {
                if (i >= bytes.Length || shift > 63)
                {
                    throw new ArgumentException("The replay token's choices are truncated: " + token, nameof(token));
                }

                byte b = bytes[i++];
                value |= (ulong)(b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80)
                {
                    break;
                }
            }

            choices.Add(value);
        }

        return [.. choices];
    }
}
