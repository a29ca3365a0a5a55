namespace Sync.Crdt.TestSupport.Text;

/// <summary>One transaction of an editing trace: its parents (concurrent traces only), agent and patches.</summary>
public sealed record TraceTransaction(int[] Parents, int Agent, TracePatch[] Patches);
