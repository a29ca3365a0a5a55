namespace Sync.Ot;

/// <summary>What one component of a <see cref="TextOperation"/> does at the current position of the document.</summary>
public enum OperationComponentKind
{
    /// <summary>Keeps the next <see cref="OperationComponent.CodePointLength"/> code points unchanged and moves past them.</summary>
    Retain = 0,

    /// <summary>Inserts <see cref="OperationComponent.Text"/> at the current position; consumes nothing of the base document.</summary>
    Insert = 1,

    /// <summary>Removes the next <see cref="OperationComponent.CodePointLength"/> code points of the base document.</summary>
    Delete = 2,
}
