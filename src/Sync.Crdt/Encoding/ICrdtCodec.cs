using System.Collections.Generic;

namespace Sync.Crdt.Encoding;

/// <summary>
/// What every binary codec declares about itself, independent of the type it encodes: its type tag and the
/// codecs of its type arguments. Together they form the <em>type signature</em> written in the message header
/// (a pre-order list of tags, for example <c>[ORSet, String]</c>), which a decoder compares with its own codec's
/// signature before reading the body, so bytes written for one type are never decoded as another.
/// </summary>
/// <remarks>
/// Tag ranges (see docs/wire-format.md): 1–127 are reserved for the Sync.Crdt assemblies
/// (<see cref="CrdtTypeTags"/>); applications use 1024 and above. A codec must be immutable and thread-safe.
/// </remarks>
public interface ICrdtCodec
{
    /// <summary>Gets the tag that identifies the encoded shape; at least 1.</summary>
    int TypeTag { get; }

    /// <summary>Gets the codecs of the type arguments (elements, keys, values), in order; empty for a non-generic codec.</summary>
    IReadOnlyList<ICrdtCodec> TypeArguments { get; }
}
