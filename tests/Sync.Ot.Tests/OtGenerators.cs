using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Sync.Ot.Tests;

/// <summary>A document and operations on it, generated from one seed (printed on failure).</summary>
public sealed record OtCase(int Seed, string Document, TextOperation A, TextOperation B, TextOperation C)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"seed {Seed}: doc=\"{Document}\" A={A} B={B} C={C}");
}

/// <summary>Random documents and operations. Texts mix ASCII with characters outside the BMP (surrogate pairs).</summary>
public static class OtGenerators
{
    private static readonly string[] Alphabet = ["a", "b", "c", "d", "x", " ", "é", "😀", "👍", "𝄞"];

    /// <summary>A document with operations A and B on it, and C on A's result.</summary>
    public static Gen<OtCase> Case => Gen.Choose(0, int.MaxValue).Select(CaseFromSeed);

    public static OtCase CaseFromSeed(int seed)
    {
        var random = new Random(seed);
        string document = RandomText(random, random.Next(0, 12));
        TextOperation a = RandomOperation(random, CodePointLength(document));
        TextOperation b = RandomOperation(random, CodePointLength(document));
        TextOperation c = RandomOperation(random, a.TargetCodePointLength);
        return new OtCase(seed, document, a, b, c);
    }

    public static string RandomText(Random random, int codePoints)
    {
        var text = new StringBuilder();
        for (int i = 0; i < codePoints; i++)
        {
            text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }

    /// <summary>A random operation on a document of <paramref name="length"/> code points, built from raw components in a random mix.</summary>
    public static TextOperation RandomOperation(Random random, int length)
    {
        var builder = new TextOperationBuilder();
        int remaining = length;
        while (remaining > 0)
        {
            int n = random.Next(1, remaining + 1);
            switch (random.Next(4))
            {
                case 0:
                    builder.Delete(n);
                    remaining -= n;
                    break;
                case 1:
                    builder.Insert(RandomText(random, random.Next(1, 4)));
                    break;
                default:
                    builder.Retain(n);
                    remaining -= n;
                    break;
            }
        }

        if (random.Next(3) == 0)
        {
            builder.Insert(RandomText(random, random.Next(1, 3)));
        }

        return builder.ToOperation();
    }

    /// <summary>Counts code points independently of the code under test.</summary>
    public static int CodePointLength(string text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>A naive model: applies an operation to a list of runes, one rune at a time.</summary>
    public static string NaiveApply(string document, TextOperation operation)
    {
        var runes = new List<Rune>();
        foreach (Rune rune in document.EnumerateRunes())
        {
            runes.Add(rune);
        }

        var output = new StringBuilder();
        int index = 0;
        foreach (OperationComponent component in operation.Components)
        {
            switch (component.Kind)
            {
                case OperationComponentKind.Retain:
                    for (int i = 0; i < component.CodePointLength; i++)
                    {
                        output.Append(runes[index++].ToString());
                    }

                    break;
                case OperationComponentKind.Insert:
                    output.Append(component.Text);
                    break;
                default:
                    index += component.CodePointLength;
                    break;
            }
        }

        if (index != runes.Count)
        {
            throw new InvalidOperationException("The operation did not consume the whole document.");
        }

        return output.ToString();
    }
}
