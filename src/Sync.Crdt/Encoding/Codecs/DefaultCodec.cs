namespace Sync.Crdt.Encoding.Codecs;

/// <summary>The codec of a CRDT type with <see cref="CrdtSerializerOptions.Default"/>, created once per type (a generic static cache).</summary>
/// <typeparam name="T">The CRDT type.</typeparam>
internal static class DefaultCodec<T>
    where T : class, ICrdt<T>
{
    private static ICrdtValueCodec<T>? _codec;

    /// <summary>Returns the cached codec, creating it on first use (a race creates two equal codecs and keeps one).</summary>
    public static ICrdtValueCodec<T> Get() => _codec ??= T.CreateCodec(CrdtSerializerOptions.Default);
}
