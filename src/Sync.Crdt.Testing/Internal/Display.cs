using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Sync.Crdt.Testing.Internal;

/// <summary>Readable text for counterexamples, and structural comparison of model views.</summary>
internal static class Display
{
    private const int MaxItems = 50;

    public static string Format(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string text:
                return "\"" + text + "\"";
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            case IEnumerable sequence when !HasOwnToString(value):
                var builder = new StringBuilder("[");
                int count = 0;
                foreach (object? item in sequence)
                {
                    if (count > 0)
                    {
                        builder.Append(", ");
                    }

                    if (++count > MaxItems)
                    {
                        builder.Append('…');
                        break;
                    }

                    builder.Append(Format(item));
                }

                return builder.Append(']').ToString();
            default:
                return value.ToString() ?? string.Empty;
        }
    }

    /// <summary>Equality for model views: sequences element by element (recursively), anything else by Equals.</summary>
    public static bool StructurallyEqual(object? left, object? right)
    {
        if (left is IEnumerable a && right is IEnumerable b && left is not string && right is not string)
        {
            IEnumerator x = a.GetEnumerator();
            IEnumerator y = b.GetEnumerator();
            while (true)
            {
                bool more = x.MoveNext();
                if (more != y.MoveNext())
                {
                    return false;
                }

                if (!more)
                {
                    return true;
                }

                if (!StructurallyEqual(x.Current, y.Current))
                {
                    return false;
                }
            }
        }

        return Equals(left, right);
    }

    /// <summary>Whether the value overrides ToString (the default returns the type's full name).</summary>
    private static bool HasOwnToString(object value) => value.ToString() != value.GetType().ToString();

    /// <summary>A C#-style name: <c>ORSet&lt;String&gt;</c>.</summary>
    public static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        var builder = new StringBuilder(tick < 0 ? name : name[..tick]).Append('<');
        Type[] arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append(TypeName(arguments[i]));
        }

        return builder.Append('>').ToString();
    }

    public static string Lines(IEnumerable<KeyValuePair<string, string>> notes)
    {
        var builder = new StringBuilder();
        foreach (KeyValuePair<string, string> note in notes)
        {
            builder.Append("  ").Append(note.Key).Append(" = ").AppendLine(note.Value.Replace("\n", "\n    ", StringComparison.Ordinal));
        }

        return builder.ToString();
    }
}
