using System;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Encoding.Json;

/// <summary>Creates the converters of the generic CRDTs for each element type.</summary>
internal sealed class SyncCrdtJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => ConverterDefinition(typeToConvert) is not null;

    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "The converter definitions are this assembly's own types; their constructors are kept by DynamicDependency.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The converter definitions are this assembly's own types; their constructors are kept by DynamicDependency.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The converter definitions are this assembly's own types; their constructors are kept by DynamicDependency.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Value-type instantiations need the converter's code at run time; the library is not marked AOT-compatible.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(LWWRegisterJsonConverter<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(MVRegisterJsonConverter<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ORSetJsonConverter<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(LWWMapJsonConverter<,>))]
    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        Type? definition = ConverterDefinition(typeToConvert);
        if (definition is null)
        {
            return null;
        }

        Type converterType = definition.MakeGenericType(typeToConvert.GetGenericArguments());
        try
        {
            return (JsonConverter)Activator.CreateInstance(converterType, options)!;
        }
        catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private static Type? ConverterDefinition(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        return definition == typeof(LWWRegister<>) ? typeof(LWWRegisterJsonConverter<>) :
            definition == typeof(MVRegister<>) ? typeof(MVRegisterJsonConverter<>) :
            definition == typeof(ORSet<>) ? typeof(ORSetJsonConverter<>) :
            definition == typeof(LWWMap<,>) ? typeof(LWWMapJsonConverter<,>) :
            null;
    }
}
