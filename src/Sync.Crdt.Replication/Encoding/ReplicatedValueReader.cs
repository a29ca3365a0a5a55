using System;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>Decodes one CRDT value from the bytes a matching writer produced.</summary>
/// <typeparam name="T">The CRDT type.</typeparam>
/// <param name="data">Exactly the bytes of one encoded value.</param>
/// <returns>The value; never <see langword="null"/>.</returns>
public delegate T ReplicatedValueReader<T>(ReadOnlySpan<byte> data)
    where T : class, IMergeable<T>;
