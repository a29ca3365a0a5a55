using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Pruning;

/// <summary>
/// The plan of one removed-replica prune of one value: the removed replica's events <c>1..</c><see cref="LastCounter"/>
/// become the owner's events <c><see cref="Offset"/>+1..<see cref="Offset"/>+<see cref="LastCounter"/></c>, a range the
/// owner reserved (it never issues those counters itself), and nested ids <c>removed#x…</c> (the ids an
/// <c>ORMap</c> writes nested values under) become <c>owner#(Offset+x)…</c>. Counters fold the removed entry into the
/// owner's instead (at the owner) and drop it (everywhere else). See docs/pruning.md.
/// </summary>
/// <remarks>
/// <para>The renaming is a bijection onto identities nobody else uses, so applying it to every copy of a value (every
/// replica's state, every delta or stale state still in flight) commutes with merge: observed-remove decisions, causal
/// contexts and nested values come out exactly as without pruning, only with fewer replica entries.</para>
/// <para>Preconditions (the replicator's pruning protocol establishes them): the removed replica has stopped writing
/// for good; the owner has merged every event of it (its context holds <c>1..LastCounter</c> without gaps); every copy
/// of the value that ever meets a pruned copy is pruned with the same plan first.</para>
/// <para>An immutable value; thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class ReplicaPruning : IEquatable<ReplicaPruning>
{
    private readonly string _nestedPrefix;

    /// <summary>Creates a plan.</summary>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The surviving replica that takes over the removed replica's entries.</param>
    /// <param name="offset">The owner's highest counter in the value when it pruned (≥ 0).</param>
    /// <param name="lastCounter">The removed replica's highest counter in the value (≥ 0).</param>
    /// <exception cref="ArgumentException">An id is the default id, both ids are the same, or a number is negative or
    /// their sum overflows.</exception>
    public ReplicaPruning(ReplicaId removed, ReplicaId owner, long offset, long lastCounter)
    {
        ReplicaId.ThrowIfDefault(removed, nameof(removed));
        ReplicaId.ThrowIfDefault(owner, nameof(owner));
        if (removed == owner)
        {
            throw new ArgumentException("A replica cannot be pruned into itself.", nameof(owner));
        }

        if (offset < 0 || lastCounter < 0 || offset > long.MaxValue - lastCounter)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Offset {offset} and last counter {lastCounter} must be non-negative with a sum that fits in Int64."), nameof(offset));
        }

        Removed = removed;
        Owner = owner;
        Offset = offset;
        LastCounter = lastCounter;
        _nestedPrefix = removed.Value + "#";
    }

    /// <summary>Gets the removed replica.</summary>
    public ReplicaId Removed { get; }

    /// <summary>Gets the surviving replica that takes over the removed replica's entries.</summary>
    public ReplicaId Owner { get; }

    /// <summary>Gets the owner's highest counter in the value at the prune; the removed events map above it.</summary>
    public long Offset { get; }

    /// <summary>Gets the removed replica's highest counter in the value at the prune.</summary>
    public long LastCounter { get; }

    /// <summary>
    /// Plans the prune of a value whose causal context is <paramref name="context"/>: the owner's highest counter and the
    /// removed replica's last counter in it. O(r + cloud).
    /// </summary>
    /// <param name="context">The owner's context of the value.</param>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The plan; <see langword="null"/> when the context holds no event of <paramref name="removed"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The context holds some of the removed replica's events but not all up to
    /// its last (the owner has not merged its whole history; pruning now would lose writes).</exception>
    public static ReplicaPruning? Plan(CausalContext context, ReplicaId removed, ReplicaId owner)
    {
        ArgumentNullException.ThrowIfNull(context);
        ReplicaId.ThrowIfDefault(removed, nameof(removed));
        foreach (Dot dot in context.DotCloud)
        {
            if (dot.Replica == removed)
            {
                throw new InvalidOperationException($"The owner has seen only part of replica '{removed}''s events ({context}); merge its whole history before pruning it.");
            }
        }

        long last = context.VersionVector[removed];
        return last == 0 && !MentionsNested(context, removed) ? null : new ReplicaPruning(removed, owner, context.NextDot(owner).Counter - 1, last);
    }

    /// <summary>Maps a dot: the removed replica's dot <c>(removed, k)</c> becomes <c>(owner, Offset + k)</c>, a nested
    /// id's dot is renamed (<see cref="Map(ReplicaId)"/>), any other dot is returned as it is.</summary>
    /// <param name="dot">The dot.</param>
    /// <returns>The mapped dot.</returns>
    /// <exception cref="ArgumentException">The dot is the removed replica's beyond <see cref="LastCounter"/>: the removed
    /// replica kept writing after it was pruned, and its later writes are refused.</exception>
    public Dot Map(Dot dot)
    {
        if (dot.Replica == Removed)
        {
            if (dot.Counter > LastCounter)
            {
                throw Beyond(dot.Counter);
            }

            return new Dot(Owner, Offset + dot.Counter);
        }

        ReplicaId replica = Map(dot.Replica);
        return replica == dot.Replica ? dot : new Dot(replica, dot.Counter);
    }

    /// <summary>
    /// Renames a nested id: <c>removed#x</c> and <c>removed#x#…</c> (x ≤ <see cref="LastCounter"/>) become
    /// <c>owner#(Offset+x)</c> and <c>owner#(Offset+x)#…</c>; any other id is returned as it is (the removed id itself
    /// too; it has no nested form).
    /// </summary>
    /// <param name="replica">The id.</param>
    /// <returns>The renamed id.</returns>
    /// <exception cref="ArgumentException">The nested id's x exceeds <see cref="LastCounter"/> (a write after the prune),
    /// or the renamed id is too long.</exception>
    public ReplicaId Map(ReplicaId replica)
    {
        string value = replica.Value;
        if (!value.StartsWith(_nestedPrefix, StringComparison.Ordinal))
        {
            return replica;
        }

        int start = _nestedPrefix.Length;
        int end = value.IndexOf('#', start);
        ReadOnlySpan<char> digits = end < 0 ? value.AsSpan(start) : value.AsSpan(start, end - start);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long incarnation) || incarnation <= 0)
        {
            return replica; // not an id an ORMap derived: leave it alone
        }

        if (incarnation > LastCounter)
        {
            throw Beyond(incarnation);
        }

        string rest = end < 0 ? string.Empty : value[end..];
        return new ReplicaId(string.Create(CultureInfo.InvariantCulture, $"{Owner.Value}#{Offset + incarnation}{rest}"));
    }

    /// <summary>Maps every dot of a causal context (<see cref="Map(Dot)"/>). O(r + cloud + LastCounter) at worst (the mapped
    /// range is a gap-free block that joins the owner's entry when the context already holds the owner's events up to
    /// <see cref="Offset"/>; otherwise it waits in the dot cloud until they arrive).</summary>
    /// <param name="context">The context.</param>
    /// <returns>The mapped context; the same instance when nothing in it is mapped.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The context holds an event of the removed replica beyond <see cref="LastCounter"/>.</exception>
    public CausalContext Map(CausalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long removedLast = context.VersionVector[Removed];
        bool touched = removedLast > 0 || MentionsNested(context, Removed);
        if (!touched)
        {
            foreach (Dot dot in context.DotCloud)
            {
                touched |= dot.Replica == Removed;
            }

            if (!touched)
            {
                return context;
            }
        }

        if (removedLast > LastCounter)
        {
            throw Beyond(removedLast);
        }

        var vector = new List<Dot>(context.VersionVector.Count);
        var cloud = new List<Dot>();
        foreach (Dot entry in context.VersionVector)
        {
            if (entry.Replica == Removed)
            {
                continue;
            }

            ReplicaId replica = Map(entry.Replica);
            vector.Add(replica == entry.Replica ? entry : new Dot(replica, entry.Counter));
        }

        VersionVector mapped = VersionVector.Create(vector);
        long ownerTop = mapped[Owner];
        if (removedLast > 0 && ownerTop == Offset)
        {
            mapped = mapped.Advance(Owner, Offset + removedLast);
        }
        else
        {
            for (long k = 1; k <= removedLast; k++)
            {
                cloud.Add(new Dot(Owner, Offset + k));
            }
        }

        foreach (Dot dot in context.DotCloud)
        {
            cloud.Add(Map(dot));
        }

        return CausalContext.Create(mapped, cloud);
    }

    /// <summary>
    /// Renames a dot store (a value whose state is (dot, payload) pairs and a causal context, such as an OR-set or a
    /// multi-value register): maps the context and every dot. O(n + r).
    /// </summary>
    /// <param name="context">The store's context.</param>
    /// <param name="entries">The store's (dot, payload) pairs; enumerated only when the context mentions the removed replica.</param>
    /// <param name="renamed">The mapped context.</param>
    /// <returns>The mapped pairs; <see langword="null"/> when the context holds nothing of the removed replica (a store's
    /// dots are all in its context, so then nothing changes).</returns>
    /// <exception cref="ArgumentException">The store holds an event of the removed replica beyond <see cref="LastCounter"/>.</exception>
    internal List<KeyValuePair<Dot, TPayload>>? RenameDots<TPayload>(CausalContext context, IEnumerable<KeyValuePair<Dot, TPayload>> entries, out CausalContext renamed)
    {
        renamed = Map(context);
        if (ReferenceEquals(renamed, context))
        {
            return null;
        }

        var mapped = new List<KeyValuePair<Dot, TPayload>>();
        foreach (KeyValuePair<Dot, TPayload> entry in entries)
        {
            mapped.Add(new KeyValuePair<Dot, TPayload>(Map(entry.Key), entry.Value));
        }

        return mapped;
    }

    /// <summary>Returns <see langword="true"/> when both plans are the same.</summary>
    /// <param name="other">The other plan.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals([NotNullWhen(true)] ReplicaPruning? other) =>
        other is not null && Removed == other.Removed && Owner == other.Owner && Offset == other.Offset && LastCounter == other.LastCounter;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as ReplicaPruning);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Removed, Owner, Offset, LastCounter);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Removed}:1..{LastCounter} -> {Owner}:{Offset + 1}..{Offset + LastCounter}");

    private static bool MentionsNested(CausalContext context, ReplicaId removed)
    {
        string prefix = removed.Value + "#";
        foreach (Dot entry in context.VersionVector)
        {
            if (entry.Replica.Value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (Dot dot in context.DotCloud)
        {
            if (dot.Replica.Value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private ArgumentException Beyond(long counter) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The value holds event {counter} of replica '{Removed}', which was pruned after its event {LastCounter}: the removed replica kept writing, and writes after its removal are refused (it must rejoin under a fresh id)."));
}
