using System;

namespace Sync.Crdt.Testing;

/// <summary>The laws <see cref="CrdtCheck{T}.Run(CrdtLaws)"/> can check; combine them with <c>|</c>.</summary>
[Flags]
public enum CrdtLaws
{
    /// <summary>No law.</summary>
    None = 0,

    /// <summary><c>a ⊔ b = b ⊔ a</c>.</summary>
    Commutative = 1,

    /// <summary><c>(a ⊔ b) ⊔ c = a ⊔ (b ⊔ c)</c>.</summary>
    Associative = 2,

    /// <summary>
    /// <c>a ⊔ a = a</c> and <c>a ⊔ (a ⊔ b) = a ⊔ b</c>; with the same-instance rules (the default), <c>a.Merge(a)</c>
    /// returns <c>a</c> itself and merging a value already included returns the including instance.
    /// </summary>
    Idempotent = 4,

    /// <summary><c>a ⊔ ⊥ = ⊥ ⊔ a = a</c> for the empty value ⊥ (<see cref="CrdtCheck{T}.WithEmpty(T)"/>).</summary>
    Identity = 8,

    /// <summary>Equality is reflexive and symmetric, agrees with <see cref="object.Equals(object)"/>, and equal values hash alike.</summary>
    Equality = 16,

    /// <summary>
    /// For every operation of a generated history: <c>before ⊔ δ = after</c>, <c>δ ⊑ after</c>, <c>X ⊔ δ = X ⊔ after</c>
    /// for any <c>X ⊒ before</c>, a no-op returns the receiver; and all deltas joined in any order, with duplicates,
    /// equal the join of all full states (delta ≡ full state). Needs operations.
    /// </summary>
    Deltas = 32,

    /// <summary>
    /// Replicas that apply operations and exchange deltas and full states over a network that loses, duplicates and
    /// reorders messages all hold equal states after a final full-state exchange, equal to the join of everything.
    /// Needs operations.
    /// </summary>
    Convergence = 64,

    /// <summary>The binary codec decodes what it encodes to an equal value and re-encodes it to the same bytes.</summary>
    BinaryCodec = 128,

    /// <summary>The JSON options read what they write to an equal value and write it again to the same text.</summary>
    JsonCodec = 256,

    /// <summary>The observable value of every state matches the model of the operations it has seen. Needs a model.</summary>
    Model = 512,

    /// <summary>The join-semilattice laws with identity.</summary>
    Lattice = Commutative | Associative | Idempotent | Identity,

    /// <summary>Every law.</summary>
    All = Lattice | Equality | Deltas | Convergence | BinaryCodec | JsonCodec | Model,
}
