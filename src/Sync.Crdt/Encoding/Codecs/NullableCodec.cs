using System;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Nullable&lt;T&gt;: a presence byte (0 = null, 1 = value), then the value.</summary>
internal sealed class NullableCodec<T> : GenericCodec<T?>
    where T : struct
{
    private readonly ICrdtValueCodec<T> _value;

    public NullableCodec(ICrdtValueCodec<T> value)
        : base(CrdtTypeTags.Nullable, value)
    {
        _value = value;
    }

    public NullableCodec(CrdtSerializerOptions options)
        : this(options.GetCodec<T>())
    {
    }

    public override void Encode(CrdtWriter writer, T? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBoolean(value.HasValue);
        if (value.HasValue)
        {
            writer.Write(value.GetValueOrDefault(), _value);
        }
    }

    public override T? Decode(ref CrdtReader reader) => reader.ReadBoolean() ? reader.Read(_value) : null;
}
