namespace Sync.Crdt.Protocol;

/// <summary>The kind of a document opened on a channel; it selects the payloads of its frames.</summary>
public enum DocumentKind
{
    /// <summary>Replicated CRDT values: payloads are replication messages (digests, delta groups, full states).</summary>
    Values = 1,

    /// <summary>Collaborative text: payloads are text state vectors and text updates.</summary>
    Text = 2,

    /// <summary>An operational-transformation document served by a central server: payloads are revisioned operations.</summary>
    Ot = 3,
}
