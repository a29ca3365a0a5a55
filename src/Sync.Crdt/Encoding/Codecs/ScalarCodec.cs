using System;
using System.Collections.Generic;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Base of the built-in codecs for types without type arguments.</summary>
internal abstract class ScalarCodec<T> : ICrdtValueCodec<T>
{
    protected ScalarCodec(int typeTag) => TypeTag = typeTag;

    public int TypeTag { get; }

    public IReadOnlyList<ICrdtCodec> TypeArguments => Array.Empty<ICrdtCodec>();

    public abstract void Encode(CrdtWriter writer, T value);

    public abstract T Decode(ref CrdtReader reader);
}
