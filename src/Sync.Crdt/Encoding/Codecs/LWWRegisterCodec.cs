using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// LWWRegister&lt;T&gt;: a state byte (0 = empty, 1 = written, 2 = written with a null value); when written, the
/// timestamp (time, replica index) and, for state 1, the value.
/// </summary>
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

    public override void Encode(CrdtWriter writer, LWWRegister<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.TryGetValue(out T? content))
        {
            writer.WriteByte(0);
            return;
        }

        bool isNull = content is null;
        writer.WriteByte(isNull ? (byte)2 : (byte)1);
        CausalityEncoding.WriteTimestamp(writer, value.Timestamp);
        if (!isNull)
        {
            writer.Write(content, _value);
        }
    }

    public override LWWRegister<T> Decode(ref CrdtReader reader)
    {
        int stateAt = reader.Position;
        byte state = reader.ReadByte();
        if (state == 0)
        {
            return LWWRegister<T>.Empty;
        }

        if (state > 2 || (state == 2 && default(T) is not null))
        {
            throw CrdtReader.Error($"Register state {state} is invalid (0 = empty, 1 = written{(default(T) is null ? ", 2 = written null" : string.Empty)}).", stateAt);
        }

        LWWTimestamp timestamp = CausalityEncoding.ReadTimestamp(ref reader);
        T content = default!;
        if (state == 1)
        {
            int valueAt = reader.Position;
            content = reader.Read(_value);
            if (content is null)
            {
                throw CrdtReader.Error("A null register value must be written with state 2.", valueAt);
            }
        }

        return LWWRegister<T>.Create(timestamp, content);
    }
}
