using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Sync.Crdt.TestSupport;

/// <summary>
/// Checks the immutability annotations of a shipped assembly: every public type is marked <c>[Immutable]</c> or
/// <c>[Mutable]</c> (the internal attributes in <c>eng/</c>), and an immutable class or struct has no writable
/// instance field anywhere in its hierarchy.
/// </summary>
public static class AnnotationAssert
{
    /// <summary>Asserts the rules above for every public type of <paramref name="assembly"/>; enums, interfaces, delegates, enumerators, exceptions, attributes and static classes are exempt from marking.</summary>
    public static void AllPublicTypesAnnotated(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var problems = new List<string>();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            bool exempt = type.IsEnum || type.IsInterface || typeof(Delegate).IsAssignableFrom(type) || (type.IsAbstract && type.IsSealed) || typeof(System.Collections.IEnumerator).IsAssignableFrom(type) || typeof(Exception).IsAssignableFrom(type) || typeof(Attribute).IsAssignableFrom(type);
            bool immutable = HasAttribute(type, "ImmutableAttribute");
            bool mutable = HasAttribute(type, "MutableAttribute");
            if (!exempt && immutable == mutable)
            {
                problems.Add($"{type.FullName}: mark it [Immutable] or [Mutable] (exactly one).");
            }

            if (immutable && !type.IsInterface)
            {
                for (Type? t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
                {
                    foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (!field.IsInitOnly)
                        {
                            problems.Add($"{type.FullName}: [Immutable] but field {t.Name}.{field.Name} is writable.");
                        }
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static bool HasAttribute(Type type, string name) =>
        type.GetCustomAttributesData().Any(a => a.AttributeType.Name == name);
}
