namespace Sync.Crdt.TestSupport.Text;

/// <summary>One patch of an editing trace: at <see cref="Position"/>, delete <see cref="Delete"/> code points, then insert <see cref="Insert"/>.</summary>
public readonly record struct TracePatch(int Position, int Delete, string Insert);
