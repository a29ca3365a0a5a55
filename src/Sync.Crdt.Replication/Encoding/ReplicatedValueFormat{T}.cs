using System;
using System.Buffers;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>The format of one CRDT type; created by <see cref="ReplicatedValueFormat.Create{T}"/>.</summary>
[Immutable]
internal sealed class ReplicatedValueFormat<T> : ReplicatedValueFormat
    where T : class, IMergeable<T>
{
    private readonly Action<T, IBufferWriter<byte>> _write;
    private readonly ReplicatedValueReader<T> _read;

    public ReplicatedValueFormat(int tag, Action<T, IBufferWriter<byte>> write, ReplicatedValueReader<T> read)
        : base(tag, typeof(T))
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(read);
        _write = write;
        _read = read;
    }

    internal override void Write(ReplicatedValue value, IBufferWriter<byte> output) => _write(((ReplicatedValue<T>)value).Value, output);

    internal override ReplicatedValue Read(ReadOnlySpan<byte> data) => new ReplicatedValue<T>(_read(data));
}
