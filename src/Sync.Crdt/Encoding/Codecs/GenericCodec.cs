using System.Collections.Generic;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Base of the built-in codecs with type arguments: holds the tag and the argument codecs.</summary>
internal abstract class GenericCodec<T> : ICrdtValueCodec<T>
{
    private readonly ICrdtCodec[] _arguments;

    protected GenericCodec(int typeTag, params ICrdtCodec[] arguments)
    {
        TypeTag = typeTag;
        _arguments = arguments;
    }

    public int TypeTag { get; }

    public IReadOnlyList<ICrdtCodec> TypeArguments => _arguments;

    public abstract void Encode(CrdtWriter writer, T value);

    public abstract T Decode(ref CrdtReader reader);
}
