using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding.Codecs;

namespace Sync.Crdt.Encoding;

/// <summary>
/// Encodes values (CRDT states, deltas, causality types, or any type with an <see cref="ICrdtValueCodec{T}"/>)
/// as self-describing Sync.Crdt binary messages, and decodes them safely from untrusted input.
/// </summary>
/// <remarks>
/// <para>A message is: the magic bytes <c>0x53 0x43</c> ("SC"), the format version (one byte,
/// <see cref="FormatVersion"/>), the root codec's type signature, the replica table (each replica id string once,
/// in order of first use), then the value's body. The layout is specified byte by byte in docs/wire-format.md.</para>
/// <para><b>Determinism</b>: equal values encode to identical bytes (collections are written in their canonical
/// order). <b>Canonical decoding</b>: a decoder accepts exactly the bytes an encoder produces (minimal varints,
/// sorted entries, no duplicates, no unused replicas, no trailing bytes) and throws
/// <see cref="CrdtFormatException"/>, with the offset, for anything else, so <c>Serialize(Deserialize(b))</c>
/// equals <c>b</c> whenever decoding succeeds.</para>
/// <para><b>Hostile input</b>: every length is checked against the remaining input and the limits of
/// <see cref="CrdtSerializerOptions"/> before allocating; decoding is iterative within a value and its nesting is
/// bounded by <see cref="CrdtSerializerOptions.MaxDepth"/>, so decoding cannot exhaust memory or the stack, and
/// runs in time linear in the input (plus sorting checks).</para>
/// <para>Decoding reads from the input without copying when it is contiguous (a span, an array, a
/// single-segment sequence); a multi-segment sequence or a stream is first copied into one pooled buffer.
/// All members are thread-safe.</para>
/// <para><b>Trimming and native AOT.</b> The overloads that take an <see cref="ICrdtValueCodec{T}"/> use no
/// reflection; get a CRDT type's codec with <see cref="CrdtCodecs.For{T}"/> (for example
/// <c>CrdtSerializer.SerializeToBytes(set, CrdtCodecs.For&lt;ORSet&lt;string&gt;&gt;())</c>). The overloads without a
/// codec find one with <see cref="CrdtSerializerOptions.GetCodec{T}"/> and, for a generic CRDT type it does not know,
/// compose the type's codec by reflection; they are marked accordingly, so the trimming and AOT analyzers point at
/// them.</para>
/// </remarks>
public static class CrdtSerializer
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The first magic byte, ASCII 'S'.</summary>
    internal const byte Magic0 = 0x53;

    /// <summary>The second magic byte, ASCII 'C'.</summary>
    internal const byte Magic1 = 0x43;

    private const int MaxSignatureBytes = 64;

    private static readonly ConditionalWeakTable<ICrdtCodec, byte[]> Signatures = [];

    [ThreadStatic]
    private static CrdtWriter? _cachedWriter;

    /// <summary>Encodes <paramref name="value"/> with the codec <paramref name="options"/> resolve for <typeparamref name="T"/> and writes the message to <paramref name="output"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="output">The destination; receives one contiguous span of the message's size.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits (size, string length).</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static void Serialize<T>(IBufferWriter<byte> output, T value, CrdtSerializerOptions? options = null)
    {
        options ??= CrdtSerializerOptions.Default;
        Serialize(output, value, options.ResolveCodec<T>(), options);
    }

    /// <summary>Encodes <paramref name="value"/> with <paramref name="codec"/> and writes the message to <paramref name="output"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="output">The destination; receives one contiguous span of the message's size.</param>
    /// <param name="value">The value.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits (size, string length).</exception>
    public static void Serialize<T>(IBufferWriter<byte> output, T value, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(codec);
        CrdtWriter writer = Encode(value, codec, options ?? CrdtSerializerOptions.Default, out byte[] signature, out int size);
        try
        {
            Span<byte> destination = output.GetSpan(size);
            WriteMessage(destination, writer, signature);
            output.Advance(size);
        }
        finally
        {
            Release(writer);
        }
    }

    /// <summary>
    /// Returns the exact length of the message <see cref="Serialize{T}(IBufferWriter{byte}, T, CrdtSerializerOptions?)"/>
    /// would write for <paramref name="value"/>, without producing it: the codecs run against a measuring
    /// <see cref="CrdtWriter"/> whose writes add up encoded lengths (varint sizes, UTF-8 byte counts) and build only
    /// the replica table. O(size of the value); allocates only for a replica table beyond the cached writer's.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <returns>The message length in bytes.</returns>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits (as <c>Serialize</c> would throw).</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static int GetSerializedSize<T>(T value, CrdtSerializerOptions? options = null)
    {
        options ??= CrdtSerializerOptions.Default;
        return GetSerializedSize(value, options.ResolveCodec<T>(), options);
    }

    /// <summary>Returns the exact length of the message <paramref name="codec"/> would produce for <paramref name="value"/>, without producing it (see <see cref="GetSerializedSize{T}(T, CrdtSerializerOptions?)"/>).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <returns>The message length in bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits.</exception>
    public static int GetSerializedSize<T>(T value, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        CrdtWriter writer = Encode(value, codec, options ?? CrdtSerializerOptions.Default, measuring: true, out _, out int size);
        Release(writer);
        return size;
    }

    /// <summary>Encodes <paramref name="value"/> into a new array of exactly the message's size.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <returns>The message.</returns>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits.</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static byte[] SerializeToBytes<T>(T value, CrdtSerializerOptions? options = null)
    {
        options ??= CrdtSerializerOptions.Default;
        return SerializeToBytes(value, options.ResolveCodec<T>(), options);
    }

    /// <summary>Encodes <paramref name="value"/> with <paramref name="codec"/> into a new array of exactly the message's size.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for the defaults.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits.</exception>
    public static byte[] SerializeToBytes<T>(T value, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        CrdtWriter writer = Encode(value, codec, options ?? CrdtSerializerOptions.Default, out byte[] signature, out int size);
        try
        {
            byte[] message = new byte[size];
            WriteMessage(message, writer, signature);
            return message;
        }
        finally
        {
            Release(writer);
        }
    }

    /// <summary>Encodes <paramref name="value"/> and writes the message to <paramref name="stream"/> (no length framing is added).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="stream">The destination stream.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits.</exception>
    /// <exception cref="IOException">The stream fails.</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static void Serialize<T>(Stream stream, T value, CrdtSerializerOptions? options = null)
    {
        options ??= CrdtSerializerOptions.Default;
        Serialize(stream, value, options.ResolveCodec<T>(), options);
    }

    /// <summary>Encodes <paramref name="value"/> with <paramref name="codec"/> and writes the message to <paramref name="stream"/> (no length framing is added).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="stream">The destination stream.</param>
    /// <param name="value">The value.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value cannot be encoded within the options' limits.</exception>
    /// <exception cref="IOException">The stream fails.</exception>
    public static void Serialize<T>(Stream stream, T value, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(codec);
        CrdtWriter writer = Encode(value, codec, options ?? CrdtSerializerOptions.Default, out byte[] signature, out int size);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            WriteMessage(buffer.AsSpan(0, size), writer, signature);
            stream.Write(buffer, 0, size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Release(writer);
        }
    }

    /// <summary>Decodes one message holding a <typeparamref name="T"/>, with the codec <paramref name="options"/> resolve.</summary>
    /// <typeparam name="T">The expected type; must match the message's type signature.</typeparam>
    /// <param name="data">The whole message, nothing more.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <returns>The value, which satisfies all its type's invariants.</returns>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="CrdtFormatException">The bytes are not a canonical encoding of a valid <typeparamref name="T"/> within the limits.</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static T Deserialize<T>(ReadOnlySpan<byte> data, CrdtSerializerOptions? options = null)
    {
        options ??= CrdtSerializerOptions.Default;
        return Deserialize(data, options.ResolveCodec<T>(), options);
    }

    /// <summary>Decodes one message holding a <typeparamref name="T"/> with <paramref name="codec"/>.</summary>
    /// <typeparam name="T">The expected type; must match the message's type signature.</typeparam>
    /// <param name="data">The whole message, nothing more.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for the defaults.</param>
    /// <returns>The value, which satisfies all its type's invariants.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="CrdtFormatException">The bytes are not a canonical encoding of a valid <typeparamref name="T"/> within the limits.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> data, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        options ??= CrdtSerializerOptions.Default;
        if (data.Length > options.MaxMessageBytes)
        {
            throw new CrdtFormatException($"The message has {data.Length} bytes, more than MaxMessageBytes ({options.MaxMessageBytes}).", options.MaxMessageBytes);
        }

        var reader = new CrdtReader(data, options);
        ReadHeader(ref reader, codec);
        reader.ReadReplicaTable();
        T value = reader.Read(codec);
        if (reader.Remaining != 0)
        {
            throw reader.Error($"{reader.Remaining} unexpected bytes follow the value.");
        }

        if (reader.ReplicasUsed != reader.ReplicaCount)
        {
            throw reader.Error($"Replica table entry {reader.ReplicasUsed} is never referenced; a canonical table lists only replicas the value uses.");
        }

        return value;
    }

    /// <summary>Decodes one message from an array.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="data">The whole message, nothing more.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="CrdtFormatException">The bytes are not a canonical encoding of a valid <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static T Deserialize<T>(byte[] data, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Deserialize<T>(data.AsSpan(), options);
    }

    /// <summary>Decodes one message from an array with <paramref name="codec"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="data">The whole message, nothing more.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for the defaults.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="CrdtFormatException">The bytes are not a canonical encoding of a valid <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(byte[] data, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Deserialize(data.AsSpan(), codec, options);
    }

    /// <summary>Decodes one message from a sequence (copied into one pooled buffer first when it has several segments).</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="data">The whole message, nothing more.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="CrdtFormatException">The bytes are not a canonical encoding of a valid <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static T Deserialize<T>(ReadOnlySequence<byte> data, CrdtSerializerOptions? options = null)
    {
        options ??= CrdtSerializerOptions.Default;
        return Deserialize(data, options.ResolveCodec<T>(), options);
    }

    /// <summary>Decodes one message from a sequence with <paramref name="codec"/> (copied into one pooled buffer first when it has several segments).</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="data">The whole message, nothing more.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for the defaults.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="CrdtFormatException">The bytes are not a canonical encoding of a valid <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlySequence<byte> data, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        options ??= CrdtSerializerOptions.Default;
        if (data.IsSingleSegment)
        {
            return Deserialize(data.FirstSpan, codec, options);
        }

        if (data.Length > options.MaxMessageBytes)
        {
            throw new CrdtFormatException($"The message has {data.Length} bytes, more than MaxMessageBytes ({options.MaxMessageBytes}).", options.MaxMessageBytes);
        }

        int length = (int)data.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            data.CopyTo(buffer);
            return Deserialize(buffer.AsSpan(0, length), codec, options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end and decodes the bytes as one message.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="stream">The source; read to its end.</param>
    /// <param name="options">Limits and codecs; <see langword="null"/> for <see cref="CrdtSerializerOptions.Default"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="CrdtFormatException">The stream holds more than <see cref="CrdtSerializerOptions.MaxMessageBytes"/>, or not a canonical encoding of a valid <typeparamref name="T"/>.</exception>
    /// <exception cref="IOException">The stream fails.</exception>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    public static T Deserialize<T>(Stream stream, CrdtSerializerOptions? options = null)
    {
        options ??= CrdtSerializerOptions.Default;
        return Deserialize(stream, options.ResolveCodec<T>(), options);
    }

    /// <summary>Reads <paramref name="stream"/> to its end and decodes the bytes as one message with <paramref name="codec"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="stream">The source; read to its end.</param>
    /// <param name="codec">The root codec.</param>
    /// <param name="options">Limits and codecs for nested values; <see langword="null"/> for the defaults.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="CrdtFormatException">The stream holds more than <see cref="CrdtSerializerOptions.MaxMessageBytes"/>, or not a canonical encoding of a valid <typeparamref name="T"/>.</exception>
    /// <exception cref="IOException">The stream fails.</exception>
    public static T Deserialize<T>(Stream stream, ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(codec);
        options ??= CrdtSerializerOptions.Default;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > options.MaxMessageBytes)
                    {
                        throw new CrdtFormatException($"The stream holds more than MaxMessageBytes ({options.MaxMessageBytes}).", options.MaxMessageBytes);
                    }

                    byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int read = stream.Read(buffer, length, Math.Min(buffer.Length - length, options.MaxMessageBytes + 1 - length));
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > options.MaxMessageBytes)
                {
                    throw new CrdtFormatException($"The stream holds more than MaxMessageBytes ({options.MaxMessageBytes}).", options.MaxMessageBytes);
                }
            }

            return Deserialize(buffer.AsSpan(0, length), codec, options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static CrdtWriter Encode<T>(T value, ICrdtValueCodec<T> codec, CrdtSerializerOptions options, out byte[] signature, out int size) =>
        Encode(value, codec, options, measuring: false, out signature, out size);

    private static CrdtWriter Encode<T>(T value, ICrdtValueCodec<T> codec, CrdtSerializerOptions options, bool measuring, out byte[] signature, out int size)
    {
        signature = Signature(codec);
        CrdtWriter writer = _cachedWriter ?? new CrdtWriter(options);
        _cachedWriter = null;
        writer.Reset(options, measuring);
        try
        {
            writer.Write(value, codec);
            long total = 3 + VarintLength((ulong)signature.Length) + signature.Length + VarintLength((ulong)writer.Replicas.Count) + writer.BytesWritten;
            total += writer.MeasureReplicaTable();

            if (total > options.MaxMessageBytes)
            {
                throw new ArgumentException($"The encoding takes {total} bytes, more than MaxMessageBytes ({options.MaxMessageBytes}); a decoder would reject it.", nameof(value));
            }

            size = (int)total;
            return writer;
        }
        catch
        {
            Release(writer);
            throw;
        }
    }

    private static void Release(CrdtWriter writer)
    {
        writer.Trim();
        _cachedWriter = writer;
    }

    private static void WriteMessage(Span<byte> destination, CrdtWriter writer, byte[] signature)
    {
        destination[0] = Magic0;
        destination[1] = Magic1;
        destination[2] = FormatVersion;
        int position = 3;
        position += WriteVarint(destination[position..], (ulong)signature.Length);
        signature.CopyTo(destination[position..]);
        position += signature.Length;
        position += writer.WriteReplicaTable(destination[position..]);

        writer.Body.CopyTo(destination[position..]);
    }

    private static void ReadHeader<T>(ref CrdtReader reader, ICrdtValueCodec<T> codec)
    {
        if (reader.Remaining < 3)
        {
            throw reader.Error("The input is too short to be a Sync.Crdt message (3-byte header).");
        }

        if (reader.ReadByte() != Magic0 || reader.ReadByte() != Magic1)
        {
            throw CrdtReader.Error("The input does not start with the Sync.Crdt magic bytes 0x53 0x43.", 0);
        }

        byte version = reader.ReadByte();
        if (version is 0 or > FormatVersion)
        {
            throw CrdtReader.Error($"Unsupported format version {version}; this library reads versions 1 to {FormatVersion}.", 2);
        }

        int start = reader.Position;
        int length = (int)reader.ReadVarUInt64(MaxSignatureBytes, "A type signature length");
        ReadOnlySpan<byte> actual = reader.ReadRawBytes(length);
        byte[] expected = Signature(codec);
        if (!actual.SequenceEqual(expected))
        {
            throw CrdtReader.Error($"The message holds type signature {DescribeSignature(actual)}, but the decoder expects {DescribeSignature(expected)} ({typeof(T).Name}).", start);
        }
    }

    private static byte[] Signature(ICrdtCodec codec) =>
        Signatures.TryGetValue(codec, out byte[]? signature) ? signature : Signatures.GetValue(codec, ComputeSignature);

    private static byte[] ComputeSignature(ICrdtCodec codec)
    {
        Span<byte> buffer = stackalloc byte[MaxSignatureBytes + 10];
        int length = 0;
        AppendSignature(codec, buffer, ref length, 0);
        return buffer[..length].ToArray();
    }

    private static void AppendSignature(ICrdtCodec codec, Span<byte> buffer, ref int length, int depth)
    {
        if (depth > 16 || length > MaxSignatureBytes - 5)
        {
            throw new ArgumentException($"The type signature of {codec.GetType().Name} is deeper or longer than a message header allows ({MaxSignatureBytes} bytes).", nameof(codec));
        }

        if (codec.TypeTag < 1)
        {
            throw new ArgumentException($"A codec's type tag must be at least 1; {codec.GetType().Name} has {codec.TypeTag}.", nameof(codec));
        }

        length += WriteVarint(buffer[length..], (ulong)codec.TypeTag);
        foreach (ICrdtCodec argument in codec.TypeArguments)
        {
            AppendSignature(argument, buffer, ref length, depth + 1);
        }
    }

    private static string DescribeSignature(ReadOnlySpan<byte> signature)
    {
        var text = new StringBuilder("[");
        var reader = new CrdtReader(signature, CrdtSerializerOptions.Default);
        try
        {
            while (reader.Remaining > 0)
            {
                text.Append(text.Length == 1 ? string.Empty : ", ").Append(reader.ReadVarUInt64());
            }
        }
        catch (CrdtFormatException)
        {
            text.Append(", (malformed)");
        }

        return text.Append(']').ToString();
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }
}
