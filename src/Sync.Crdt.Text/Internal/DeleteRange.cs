namespace Sync.Crdt.Text.Internal;

/// <summary>A range of deleted clocks of one client: [Clock, Clock + Length).</summary>
internal struct DeleteRange
{
    public int Client;
    public int Clock;
    public int Length;

    /// <summary>Gets the first clock after the range.</summary>
    public readonly int End => Clock + Length;
}
