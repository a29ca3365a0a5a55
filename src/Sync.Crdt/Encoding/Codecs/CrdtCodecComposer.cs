using System;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// Composes the codec of a closed CRDT type that only a <see cref="Type"/> names (the serializer overloads without
/// a codec, where <c>T</c> is unconstrained): it resolves the codecs of the type arguments first (composing nested
/// CRDT types the same way), registers them in derived options, and then asks the type for its codec through
/// <see cref="ICrdt{TSelf}.CreateCodec"/>, invoked by reflection. The constrained and explicit paths
/// (<see cref="CrdtCodecs.For{T}"/>, the <see cref="CrdtCodecs"/> factories) never come here.
/// </summary>
internal static class CrdtCodecComposer
{
    /// <summary>The reason written on every member that can reach the composer.</summary>
    public const string Reason =
        "Finding the codec of a generic CRDT type from an unconstrained type parameter uses reflection; pass a codec " +
        "(CrdtCodecs.For<T>() or a CrdtCodecs factory) to the overload that takes one, or register it with CrdtSerializerOptions.WithCodec.";

    private static readonly MethodInfo CreateCrdtCodecMethod =
        typeof(CrdtCodecComposer).GetMethod(nameof(CreateCrdtCodec), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Returns the composed codec of <paramref name="type"/>, or <see langword="null"/> when it is neither a CRDT type nor a nullable value.</summary>
    /// <exception cref="NotSupportedException">A type argument has no codec.</exception>
    [RequiresUnreferencedCode(Reason)]
    [RequiresDynamicCode(Reason)]
    public static ICrdtCodec? Compose(Type type, CrdtSerializerOptions options)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            ICrdtCodec? value = Resolve(underlying, options);
            return value is null ? null : Invoke(() => Activator.CreateInstance(typeof(NullableCodec<>).MakeGenericType(underlying), value));
        }

        if (!IsCrdt(type))
        {
            return null;
        }

        if (type.IsGenericType)
        {
            foreach (Type argument in type.GetGenericArguments())
            {
                if (options.FindRegisteredOrBuiltIn(argument) is null && Compose(argument, options) is { } nested)
                {
                    options = options.WithCodec(argument, nested);
                }
            }
        }

        return Invoke(() => CreateCrdtCodecMethod.MakeGenericMethod(type).Invoke(null, [options]));
    }

    private static ICrdtCodec CreateCrdtCodec<T>(CrdtSerializerOptions options)
        where T : class, ICrdt<T> => T.CreateCodec(options);

    [RequiresUnreferencedCode(Reason)]
    [RequiresDynamicCode(Reason)]
    private static ICrdtCodec? Resolve(Type type, CrdtSerializerOptions options) =>
        options.FindRegisteredOrBuiltIn(type) ?? Compose(type, options);

    /// <summary>Returns whether <paramref name="type"/> is a class implementing <see cref="ICrdt{TSelf}"/> of itself.</summary>
    [RequiresUnreferencedCode(Reason)]
    public static bool IsCrdt(Type type)
    {
        if (!type.IsClass)
        {
            return false;
        }

        foreach (Type contract in type.GetInterfaces())
        {
            if (contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(ICrdt<>) && contract.GetGenericArguments()[0] == type)
            {
                return true;
            }
        }

        return false;
    }

    private static ICrdtCodec Invoke(Func<object?> create)
    {
        try
        {
            return (ICrdtCodec)create()!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            // Surface the type's own exception (for example "no codec for the element type") rather than the reflection wrapper.
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
