using System;

namespace Sync.Crdt.Server;

/// <summary>What a user may do with a document.</summary>
[Flags]
public enum DocumentAccess
{
    /// <summary>Nothing: opening the document is answered with a read-forbidden error and nothing of it is sent.</summary>
    None = 0,

    /// <summary>Open the document and receive its content and changes.</summary>
    Read = 1,

    /// <summary>Send changes (only together with <see cref="Read"/>; write alone is treated as none).</summary>
    Write = 2,

    /// <summary>Read and write.</summary>
    ReadWrite = Read | Write,
}
