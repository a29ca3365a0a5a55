using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>LWWRegister&lt;T&gt;: a state byte (0 = empty, 1 = written); when written, the timestamp (time, replica index) and the value.</summary>
internal sealed class LWWRegisterCodec<T> : GenericCodec<LWWRegister<T>>
{
    private readonly ICrdtValueCodec<T> _value;

    public LWWRegisterCodec(ICrdtValueCodec<T> value)
        : base(CrdtTypeTags.LWWRegister, value)
    {
        _value = value;
    }

    public LWWRegisterCodec(CrdtSerializerOptions options)
        : this(options.GetCodec<T>())
    {
    }

    public override void Write(CrdtWriter writer, LWWRegister<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.TryGetValue(out T? content))
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        CausalityEncoding.WriteTimestamp(writer, value.Timestamp);
        writer.Write(content, _value);
    }

    public override LWWRegister<T> Read(ref CrdtReader reader)
    {
        if (!reader.ReadBoolean())
        {
            return LWWRegister<T>.Empty;
        }

        LwwTimestamp timestamp = CausalityEncoding.ReadTimestamp(ref reader);
        T content = reader.Read(_value);
        return LWWRegister<T>.Create(content, timestamp);
    }
}
