using System.Text.Json;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Json;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>Round-trip checks shared by the codec tests.</summary>
internal static class CodecAssert
{
    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions().AddSyncCrdt();

    /// <summary>Encodes, decodes, checks equality and that re-encoding gives the same bytes; returns the bytes.</summary>
    public static byte[] BinaryRoundTrips<T>(T value, CrdtSerializerOptions? options = null)
    {
        byte[] bytes = CrdtSerializer.SerializeToBytes(value, options);
        T decoded = CrdtSerializer.Deserialize<T>(bytes, options);
        Assert.Equal(value, decoded);
        Assert.Equal(bytes, CrdtSerializer.SerializeToBytes(decoded, options));
        return bytes;
    }

    /// <summary>Writes JSON, reads it back, checks equality and that re-writing gives the same text; returns the text.</summary>
    public static string JsonRoundTrips<T>(T value)
    {
        string json = JsonSerializer.Serialize(value, Json);
        T? decoded = JsonSerializer.Deserialize<T>(json, Json);
        Assert.Equal(value, decoded);
        Assert.Equal(json, JsonSerializer.Serialize(decoded, Json));
        return json;
    }
}
