using System;

namespace Sync.Ot;

/// <summary>
/// Counting and addressing of Unicode scalar values (code points) in UTF-16 text, the unit every position and
/// length in this assembly uses. Scans jump from surrogate to surrogate with a vectorized search, so text without
/// characters above U+FFFF costs one pass of SIMD comparisons.
/// </summary>
internal static class CodePointText
{
    private const char FirstSurrogate = '\uD800';
    private const char LastSurrogate = '\uDFFF';

    /// <summary>Returns the number of code points of <paramref name="text"/>, or -1 when it holds an unpaired surrogate.</summary>
    public static int CountOrInvalid(ReadOnlySpan<char> text)
    {
        int pairs = 0;
        int i = 0;
        while (true)
        {
            int k = text.Slice(i).IndexOfAnyInRange(FirstSurrogate, LastSurrogate);
            if (k < 0)
            {
                return text.Length - pairs;
            }

            i += k;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                pairs++;
                i += 2;
            }
            else
            {
                return -1;
            }
        }
    }

    /// <summary>Returns the code point count of <paramref name="text"/> or throws when it is not well-formed UTF-16.</summary>
    public static int CountValid(ReadOnlySpan<char> text, string parameterName)
    {
        int count = CountOrInvalid(text);
        if (count < 0)
        {
            throw new ArgumentException("The text contains an unpaired surrogate; positions count Unicode scalar values, so text must be well-formed UTF-16.", parameterName);
        }

        return count;
    }

    /// <summary>
    /// Returns the UTF-16 offset reached after skipping <paramref name="codePoints"/> code points from the start of
    /// well-formed <paramref name="text"/>, which must hold at least that many.
    /// </summary>
    public static int CharOffset(ReadOnlySpan<char> text, int codePoints)
    {
        int i = 0;
        int remaining = codePoints;
        while (remaining > 0)
        {
            int k = text.Slice(i).IndexOfAnyInRange(FirstSurrogate, LastSurrogate);
            if (k < 0 || k >= remaining)
            {
                return i + remaining;
            }

            i += k + 2;
            remaining -= k + 1;
        }

        return i;
    }

    /// <summary>Returns the code points <c>[start, start + count)</c> of well-formed <paramref name="text"/> whose code point length is <paramref name="textLength"/>.</summary>
    public static string Slice(string text, int textLength, int start, int count)
    {
        if (start == 0 && count == textLength)
        {
            return text;
        }

        if (text.Length == textLength)
        {
            return text.Substring(start, count);
        }

        int from = CharOffset(text, start);
        int length = CharOffset(text.AsSpan(from), count);
        return text.Substring(from, length);
    }
}
