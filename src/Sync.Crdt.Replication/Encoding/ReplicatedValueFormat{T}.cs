using System;
using Sync.Crdt.Annotations;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>The format of one CRDT type; created by <see cref="ReplicatedValueFormat.Create{T}"/>.</summary>
[Immutable]
internal sealed class ReplicatedValueFormat<T> : ReplicatedValueFormat
    where T : class, IMergeable<T>
{
    private readonly ICrdtValueCodec<T> _codec;

    public ReplicatedValueFormat(ICrdtValueCodec<T> codec)
        : base(typeof(T), codec) => _codec = codec;

    internal override void Write(CrdtWriter writer, ReplicatedValue value) => writer.Write(((ReplicatedValue<T>)value).Value, _codec);

    internal override ReplicatedValue Read(ref CrdtReader reader)
    {
        int start = reader.Position;
        T value = reader.Read(_codec);
        return value is null ? throw CrdtReader.Error($"A {typeof(T).Name} codec returned null.", start) : new ReplicatedValue<T>(value);
    }
}
