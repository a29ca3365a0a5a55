namespace Sync.Crdt.Encoding;

/// <summary>
/// Encodes and decodes values of <typeparamref name="T"/> in the Sync.Crdt binary format: the body only, without
/// the message header, so codecs compose (a set codec calls its element codec for each element).
/// </summary>
/// <typeparam name="T">The encoded type.</typeparam>
/// <remarks>
/// <para>Implement this for your own element and value types and register it with
/// <see cref="CrdtSerializerOptions.WithCodec{T}(ICrdtValueCodec{T})"/>. A codec must be deterministic (equal
/// values produce identical bytes, so never write hash-ordered collections in hash order), must validate
/// everything it reads, and must report bad input only through <see cref="CrdtReader.Error(string)"/>
/// (a <see cref="CrdtFormatException"/>). Codecs are shared between threads: keep them immutable.</para>
/// <para>Write nested values with <see cref="CrdtWriter.Write{TValue}(TValue, ICrdtValueCodec{TValue})"/> and read them
/// with <see cref="CrdtReader.Read{TValue}(ICrdtValueCodec{TValue})"/>, which enforce the nesting limit.</para>
/// </remarks>
public interface ICrdtValueCodec<T> : ICrdtCodec
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="writer"/>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="value">The value; codecs for reference types reject <see langword="null"/> with an <see cref="System.ArgumentNullException"/> unless they document otherwise.</param>
    void Encode(CrdtWriter writer, T value);

    /// <summary>Reads one value written by <see cref="Encode"/>, validating it.</summary>
    /// <param name="reader">The source, positioned at the value.</param>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The bytes are not a valid encoding.</exception>
    T Decode(ref CrdtReader reader);
}
