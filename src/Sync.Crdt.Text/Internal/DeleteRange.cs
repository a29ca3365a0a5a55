namespace Sync.Crdt.Text.Internal;

/// <summary>A range of deleted clocks of one client: [Clock, Clock + Length).</summary>
internal struct DeleteRange
{
    public int Client;
    public int Clock;
    public int Length;
}
