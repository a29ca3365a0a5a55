namespace Sync.Crdt.Encoding;

/// <summary>
/// The type tags of the codecs built into Sync.Crdt (see docs/wire-format.md for the full table). Tags are
/// part of the wire format: a tag, once released, never changes meaning.
/// </summary>
/// <remarks>
/// Ranges: 1–14 scalar element types, 15 nullable values, 16 the JSON fallback, 32–47 causality types, 48–63 CRDTs, 64–127
/// reserved for the other Sync.Crdt assemblies (text, replication), 128–1023 reserved, 1024 and above for
/// application codecs (<see cref="FirstApplicationTag"/>).
/// </remarks>
public static class CrdtTypeTags
{
    /// <summary>UTF-8 string.</summary>
    public const int String = 1;

    /// <summary>Boolean, one byte.</summary>
    public const int Boolean = 2;

    /// <summary>Signed 8-bit integer (zigzag varint).</summary>
    public const int SByte = 3;

    /// <summary>Unsigned 8-bit integer (varint).</summary>
    public const int Byte = 4;

    /// <summary>Signed 16-bit integer (zigzag varint).</summary>
    public const int Int16 = 5;

    /// <summary>Unsigned 16-bit integer (varint).</summary>
    public const int UInt16 = 6;

    /// <summary>Signed 32-bit integer (zigzag varint).</summary>
    public const int Int32 = 7;

    /// <summary>Unsigned 32-bit integer (varint).</summary>
    public const int UInt32 = 8;

    /// <summary>Signed 64-bit integer (zigzag varint).</summary>
    public const int Int64 = 9;

    /// <summary>Unsigned 64-bit integer (varint).</summary>
    public const int UInt64 = 10;

    /// <summary>GUID, 16 bytes in RFC 9562 (big-endian) order.</summary>
    public const int Guid = 11;

    /// <summary>IEEE 754 binary64, 8 bytes little-endian.</summary>
    public const int Double = 12;

    /// <summary>Byte array, length-prefixed.</summary>
    public const int ByteArray = 13;

    /// <summary>Date, time and UTC offset.</summary>
    public const int DateTimeOffset = 14;

    /// <summary>A <see cref="System.Nullable{T}"/>: a presence byte, then the value; one type argument.</summary>
    public const int Nullable = 15;

    /// <summary>A value encoded as UTF-8 JSON by System.Text.Json (the fallback codec).</summary>
    public const int Json = 16;

    /// <summary>A replica id (an index into the message's replica table).</summary>
    public const int ReplicaId = 32;

    /// <summary>A dot (replica, counter).</summary>
    public const int Dot = 33;

    /// <summary>A version vector.</summary>
    public const int VersionVector = 34;

    /// <summary>A causal context (version vector and dot cloud).</summary>
    public const int CausalContext = 35;

    /// <summary>A last-writer-wins timestamp (time, replica).</summary>
    public const int LWWTimestamp = 36;

    /// <summary>A grow-only counter.</summary>
    public const int GCounter = 48;

    /// <summary>A positive-negative counter.</summary>
    public const int PNCounter = 49;

    /// <summary>A last-writer-wins register; one type argument (the value).</summary>
    public const int LWWRegister = 50;

    /// <summary>A multi-value register; one type argument (the value).</summary>
    public const int MVRegister = 51;

    /// <summary>An observed-remove set; one type argument (the element).</summary>
    public const int ORSet = 52;

    /// <summary>A last-writer-wins map; two type arguments (key, value).</summary>
    public const int LWWMap = 53;

    /// <summary>An observed-remove map of nested CRDTs; two type arguments (key, nested value).</summary>
    public const int ORMap = 54;

    /// <summary>The first tag available to application codecs.</summary>
    public const int FirstApplicationTag = 1024;
}
