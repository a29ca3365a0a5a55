using System;

namespace Sync.Crdt.Protocol;

/// <summary>Features a peer announces in its hello or welcome frame (a bit set on the wire).</summary>
/// <remarks>A server serves a document kind only when both sides announce it. Unknown bits are ignored, so a newer
/// peer may announce more.</remarks>
[Flags]
public enum SyncCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Replicated CRDT values (<see cref="DocumentKind.Values"/>).</summary>
    Values = 1,

    /// <summary>Collaborative text (<see cref="DocumentKind.Text"/>).</summary>
    Text = 2,

    /// <summary>Operational transformation documents (<see cref="DocumentKind.Ot"/>).</summary>
    Ot = 4,

    /// <summary>Presence (awareness) frames on text documents.</summary>
    Presence = 8,

    /// <summary>Every capability this version defines.</summary>
    All = Values | Text | Ot | Presence,
}
