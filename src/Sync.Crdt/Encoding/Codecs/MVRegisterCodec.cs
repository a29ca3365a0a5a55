using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// MVRegister&lt;T&gt;: the causal context body, then the sibling count and, per sibling in ascending dot order,
/// its dot (replica index, counter) and value. Every dot must be in the context.
/// </summary>
internal sealed class MVRegisterCodec<T> : GenericCodec<MVRegister<T>>
{
    private readonly ICrdtValueCodec<T> _value;

    public MVRegisterCodec(ICrdtValueCodec<T> value)
        : base(CrdtTypeTags.MVRegister, value)
    {
        _value = value;
    }

    public MVRegisterCodec(CrdtSerializerOptions options)
        : this(options.GetCodec<T>())
    {
    }

    public override void Encode(CrdtWriter writer, MVRegister<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        CausalityEncoding.WriteContext(writer, value.Context);
        var dots = value.Dots;
        var values = value.Values;
        writer.WriteCount(dots.Length);
        for (int i = 0; i < dots.Length; i++)
        {
            writer.WriteReplica(dots[i].Replica);
            writer.WriteVarUInt64((ulong)dots[i].Counter);
            writer.Write(values[i], _value);
        }
    }

    public override MVRegister<T> Decode(ref CrdtReader reader)
    {
        CausalContext context = CausalityEncoding.ReadContext(ref reader);
        int count = reader.ReadCount(minimumBytesPerElement: 3);
        var entries = new KeyValuePair<Dot, T>[count];
        for (int i = 0; i < count; i++)
        {
            int start = reader.Position;
            var dot = new Dot(reader.ReadReplica(), reader.ReadCounter());
            if (i > 0 && dot.CompareTo(entries[i - 1].Key) <= 0)
            {
                throw CrdtReader.Error($"Register entries must be in strictly ascending dot order; {dot} follows {entries[i - 1].Key}.", start);
            }

            if (!context.Contains(dot))
            {
                throw CrdtReader.Error($"Register entry {dot} is not in the register's causal context.", start);
            }

            entries[i] = new KeyValuePair<Dot, T>(dot, reader.Read(_value));
        }

        return MVRegister<T>.Create(entries, context);
    }
}
