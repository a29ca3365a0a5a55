using System.Text.Json.Serialization;
using Sync.Crdt.Encoding;

namespace Sync.Crdt;

/// <summary>
/// The contract of a Sync.Crdt type: a state-based replicated value with a bottom value, delta mutators, validated
/// construction from parts, structural equality and a wire identity. <see cref="Counters.GCounter"/>,
/// <see cref="Counters.PNCounter"/>, <see cref="Registers.LWWRegister{T}"/>, <see cref="Registers.MVRegister{T}"/>,
/// <see cref="Sets.ORSet{T}"/>, <see cref="Maps.LWWMap{TKey, TValue}"/> and <see cref="Maps.ORMap{TKey, TValue}"/> implement it, and so
/// can an application's own type.
/// </summary>
/// <typeparam name="TSelf">The implementing type itself, so that generic code can name its static members
/// (<c>TSelf.Empty</c>, <c>TSelf.CreateCodec(options)</c>, <c>TSelf.JsonConverter</c>) without reflection.</typeparam>
/// <remarks>
/// <para>What the compiler checks is declared here: the join (<see cref="IMergeable{T}.Merge"/>), equality
/// (<see cref="System.IEquatable{T}"/>), the bottom value (<see cref="Empty"/>), emptiness (<see cref="IsEmpty"/>) and
/// the wire identity (<see cref="CreateCodec"/>, <see cref="JsonConverter"/>). The rest of the contract is a
/// convention every implementation follows and the conformance tests check:</para>
/// <list type="bullet">
/// <item><description><b>Join laws.</b> <c>Merge</c> is commutative, associative and idempotent, <c>Empty</c> is its
/// identity (<c>a.Merge(Empty)</c> and <c>Empty.Merge(a)</c> equal <c>a</c>), and <c>a.Merge(a)</c> returns
/// <c>a</c> itself.</description></item>
/// <item><description><b>No-op returns the same instance.</b> A merge that adds nothing and a mutation that changes
/// nothing (removing an absent element, an explicit write that loses) return this instance, so callers detect
/// "nothing new" with a reference comparison.</description></item>
/// <item><description><b>Deltas.</b> Every mutator <c>Op(replica, args)</c> has an overload
/// <c>Op(replica, args, out TSelf delta)</c> (the acting replica first, <c>out delta</c> last); merging the delta
/// into any state that has seen this one gives the mutation's result, and deltas obey the join laws among
/// themselves. A mutator that changes nothing returns this instance and an empty delta. This is the shape of
/// <see cref="DeltaMutator{T}"/>.</description></item>
/// <item><description><b>Construction from parts.</b> A public static <c>Create(…)</c> builds a value from the parts
/// its public members expose, validating every invariant (<see cref="System.ArgumentException"/> otherwise), so a
/// value can be decoded by any codec; invalid values cannot be constructed.</description></item>
/// <item><description><b>Equality</b> is structural over the whole state (causal history and tombstones
/// included), and <see cref="object.GetHashCode"/> agrees with it.</description></item>
/// <item><description><b>Immutability.</b> Values never change; they are safe to share between threads.</description></item>
/// </list>
/// <para><b>Wire identity.</b> <see cref="CreateCodec"/> returns the binary codec, whose type tag (from
/// <see cref="CrdtTypeTags"/>, or 1024 and above for application types) names the type on the wire, and
/// <see cref="JsonConverter"/> the System.Text.Json converter. Both are found through the type parameter, never by
/// reflection, so they work under trimming and native AOT: use <see cref="CrdtCodecs.For{T}"/> and
/// <see cref="Encoding.Json.SyncCrdtJson.AddSyncCrdt{T}"/>, or name them through a constraint
/// (<c>where TValue : class, ICrdt&lt;TValue&gt;</c>) as a map of nested CRDTs does.</para>
/// </remarks>
public interface ICrdt<TSelf> : IMergeable<TSelf>, System.IEquatable<TSelf>
    where TSelf : class, ICrdt<TSelf>
{
    /// <summary>Gets the bottom value: the state nobody has written, the identity of <see cref="IMergeable{T}.Merge"/>.</summary>
    /// <exception cref="System.InvalidOperationException">The type cannot have a bottom value with its default
    /// configuration (for example an ordered set of elements with no default order); the type documents how to
    /// build one.</exception>
    static abstract TSelf Empty { get; }

    /// <summary>Gets the System.Text.Json converter of the type (immutable and thread-safe). Element values are read
    /// and written with the JSON contract the serializer's options give their type.</summary>
    static abstract JsonConverter<TSelf> JsonConverter { get; }

    /// <summary>Gets a value indicating whether the visible value is empty (no elements, keys, values or counts).
    /// A state can be empty and still carry history that matters to merges (a causal context, tombstones), so this
    /// does not mean "equals <see cref="Empty"/>".</summary>
    bool IsEmpty { get; }

    /// <summary>Creates the binary codec of the type, with element and value codecs resolved by
    /// <see cref="CrdtSerializerOptions.GetCodec{T}"/> of <paramref name="options"/>.</summary>
    /// <param name="options">The options whose codecs encode the type's elements, keys and values.</param>
    /// <returns>The codec (immutable and thread-safe).</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.NotSupportedException">An element, key or value type has no codec in
    /// <paramref name="options"/>, or has no default order where the type needs one.</exception>
    static abstract ICrdtValueCodec<TSelf> CreateCodec(CrdtSerializerOptions options);
}
