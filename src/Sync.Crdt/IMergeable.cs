namespace Sync.Crdt;

/// <summary>
/// A state-based replicated value whose states form a join semilattice: any two states of the same type
/// can be merged into their least upper bound.
/// </summary>
/// <typeparam name="T">The implementing type itself (the curiously recurring pattern), so that merge is
/// statically typed and never needs a cast.</typeparam>
/// <remarks>
/// <para>Every implementation obeys the join laws, which the test suite checks as properties for each type:</para>
/// <list type="bullet">
/// <item><description>commutative: <c>a.Merge(b)</c> equals <c>b.Merge(a)</c>;</description></item>
/// <item><description>associative: <c>a.Merge(b).Merge(c)</c> equals <c>a.Merge(b.Merge(c))</c>;</description></item>
/// <item><description>idempotent: <c>a.Merge(a)</c> equals <c>a</c>.</description></item>
/// </list>
/// <para>Together these make replicas converge however often, and in whatever order, states are exchanged.
/// Implementations are immutable: <see cref="Merge"/> returns a value and changes neither operand. When the
/// result equals this instance (the other state is already included), the same instance is returned, so
/// callers can detect "nothing new" with a reference comparison.</para>
/// <para><see cref="Merge"/> never throws for two valid values of the same type, except for
/// <see cref="System.ArgumentNullException"/> when the other state is <see langword="null"/> and the
/// documented incompatibilities of a specific type (for example two sets ordered by different comparers).</para>
/// </remarks>
public interface IMergeable<T>
    where T : IMergeable<T>
{
    /// <summary>
    /// Returns the least upper bound of this state and <paramref name="other"/>. Neither operand changes.
    /// </summary>
    /// <param name="other">The state to merge in.</param>
    /// <returns>The merged state; this same instance when <paramref name="other"/> adds nothing.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    T Merge(T other);
}
