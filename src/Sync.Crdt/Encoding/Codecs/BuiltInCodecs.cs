using System;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Finds the built-in codec for a type, composing generic CRDT codecs from their arguments' codecs.</summary>
internal static class BuiltInCodecs
{
    public static ICrdtValueCodec<T>? Find<T>(CrdtSerializerOptions options)
    {
        Type type = typeof(T);
        if (type.IsGenericType)
        {
            return (ICrdtValueCodec<T>?)FindGeneric(type, options);
        }

        ICrdtCodec? codec =
            type == typeof(string) ? StringCodec.Instance :
            type == typeof(bool) ? BooleanCodec.Instance :
            type == typeof(sbyte) ? SByteCodec.Instance :
            type == typeof(byte) ? ByteCodec.Instance :
            type == typeof(short) ? Int16Codec.Instance :
            type == typeof(ushort) ? UInt16Codec.Instance :
            type == typeof(int) ? Int32Codec.Instance :
            type == typeof(uint) ? UInt32Codec.Instance :
            type == typeof(long) ? Int64Codec.Instance :
            type == typeof(ulong) ? UInt64Codec.Instance :
            type == typeof(Guid) ? GuidCodec.Instance :
            type == typeof(double) ? DoubleCodec.Instance :
            type == typeof(byte[]) ? ByteArrayCodec.Instance :
            type == typeof(DateTimeOffset) ? DateTimeOffsetCodec.Instance :
            type == typeof(ReplicaId) ? ReplicaIdCodec.Instance :
            type == typeof(Dot) ? DotCodec.Instance :
            type == typeof(VersionVector) ? VersionVectorCodec.Instance :
            type == typeof(CausalContext) ? CausalContextCodec.Instance :
            type == typeof(LWWTimestamp) ? LWWTimestampCodec.Instance :
            type == typeof(GCounter) ? GCounterCodec.Instance :
            type == typeof(PNCounter) ? PNCounterCodec.Instance :
            null;
        return (ICrdtValueCodec<T>?)codec;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "The generic codec definitions are this assembly's own types; their constructors are kept by DynamicDependency.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The generic codec definitions are this assembly's own types; their constructors are kept by DynamicDependency.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The generic codec definitions are this assembly's own types; their constructors are kept by DynamicDependency.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Value-type instantiations need the codec's code at run time; the library is not marked AOT-compatible.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(NullableCodec<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(LWWRegisterCodec<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(MVRegisterCodec<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ORSetCodec<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(LWWMapCodec<,>))]
    private static ICrdtCodec? FindGeneric(Type type, CrdtSerializerOptions options)
    {
        Type definition = type.GetGenericTypeDefinition();
        Type? codecDefinition =
            definition == typeof(Nullable<>) ? typeof(NullableCodec<>) :
            definition == typeof(LWWRegister<>) ? typeof(LWWRegisterCodec<>) :
            definition == typeof(MVRegister<>) ? typeof(MVRegisterCodec<>) :
            definition == typeof(ORSet<>) ? typeof(ORSetCodec<>) :
            definition == typeof(LWWMap<,>) ? typeof(LWWMapCodec<,>) :
            null;
        if (codecDefinition is null)
        {
            return null;
        }

        Type codecType = codecDefinition.MakeGenericType(type.GetGenericArguments());
        try
        {
            return (ICrdtCodec)Activator.CreateInstance(codecType, options)!;
        }
        catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
        {
            // Surface the argument's own NotSupportedException ("no codec for T") rather than the reflection wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
