using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>Local reads and updates of the replicated values, by typed key.</summary>
public sealed partial class DeltaReplicator
{
    /// <summary>
    /// Declares a key with an initial value, unless the key already exists (defined locally, received from a
    /// peer or restored), and returns the key's current value. Defining is itself an update event, so the initial
    /// value replicates like any delta; use the type's empty value unless you mean to contribute a non-empty one.
    /// </summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="initial">The value to start from when the key is new.</param>
    /// <returns>The key's value after the call.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key's name holds a value of another type, or a mutator is running.</exception>
    public T Define<T>(ReplicatedKey<T> key, T initial)
        where T : class, IMergeable<T> => Define(key, initial, out _);

    /// <summary>
    /// Declares a key like <see cref="Define{T}(ReplicatedKey{T}, T)"/> and returns the delta log entry the definition
    /// recorded, for a store to persist.
    /// </summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="initial">The value to start from when the key is new.</param>
    /// <param name="entry">The entry recorded, or <see langword="null"/> when the key already existed (nothing changed).</param>
    /// <returns>The key's value after the call.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key's name holds a value of another type, or a mutator is running.</exception>
    public T Define<T>(ReplicatedKey<T> key, T initial, out DeltaLogEntry? entry)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(initial);
        lock (_gate)
        {
            ThrowIfInMutator();
            if (_values.TryGetValue(key.Name, out ReplicatedValue? existing))
            {
                entry = null;
                return Cast(key, existing).Value;
            }

            var value = new ReplicatedValue<T>(initial);
            entry = RecordLocalEvent(key.Name, value, value);
            return initial;
        }
    }

    /// <summary>Returns the value of <paramref name="key"/>. O(1).</summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="InvalidOperationException">The key's name holds a value of another type.</exception>
    public T Get<T>(ReplicatedKey<T> key)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_values.TryGetValue(key.Name, out ReplicatedValue? existing))
            {
                throw new KeyNotFoundException($"Key '{key.Name}' does not exist at replica '{Replica}'.");
            }

            return Cast(key, existing).Value;
        }
    }

    /// <summary>Gets the value of <paramref name="key"/> when it exists. O(1).</summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when the key exists.</param>
    /// <returns>Whether the key exists.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key's name holds a value of another type.</exception>
    public bool TryGet<T>(ReplicatedKey<T> key, [MaybeNullWhen(false)] out T value)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_values.TryGetValue(key.Name, out ReplicatedValue? existing))
            {
                value = Cast(key, existing).Value;
                return true;
            }

            value = null;
            return false;
        }
    }

    /// <summary>
    /// Applies a local update to an existing key: runs <paramref name="mutator"/> on the current value under this
    /// replica's id, stores the new value and records the delta as a new update event. When the mutator returns the
    /// current instance (nothing changed) no event is recorded. Cost: the mutator's, plus O(r) for the vector.
    /// </summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key (see <see cref="Define{T}(ReplicatedKey{T}, T)"/>).</param>
    /// <param name="mutator">The update, usually one call to an <c>out delta</c> operation of the type, e.g.
    /// <c>static (set, replica, out delta) =&gt; set.Add(replica, "milk", out delta)</c>; it must return
    /// <c>current.Merge(delta)</c> and its delta.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>, or the mutator returned <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="InvalidOperationException">The key's name holds a value of another type, or a mutator is already running.</exception>
    /// <remarks>When the mutator throws, the exception propagates and nothing changes.</remarks>
    public T Update<T>(ReplicatedKey<T> key, DeltaMutator<T> mutator)
        where T : class, IMergeable<T> => Update(key, mutator, out _);

    /// <summary>
    /// Applies a local update like <see cref="Update{T}(ReplicatedKey{T}, DeltaMutator{T})"/> and returns the delta log
    /// entry it recorded, for a store to persist before it acknowledges the update to the application.
    /// </summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="mutator">The update.</param>
    /// <param name="entry">The entry recorded, or <see langword="null"/> when the mutator changed nothing.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>, or the mutator returned <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="InvalidOperationException">The key's name holds a value of another type, or a mutator is already running.</exception>
    /// <remarks>When the mutator throws, the exception propagates and nothing changes.</remarks>
    public T Update<T>(ReplicatedKey<T> key, DeltaMutator<T> mutator, out DeltaLogEntry? entry)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(mutator);
        lock (_gate)
        {
            ThrowIfInMutator();
            if (!_values.TryGetValue(key.Name, out ReplicatedValue? existing))
            {
                throw new KeyNotFoundException($"Key '{key.Name}' does not exist at replica '{Replica}'; define it first.");
            }

            T current = Cast(key, existing).Value;
            T updated;
            T delta;
            _inMutator = true;
            try
            {
                updated = mutator(current, Replica, out delta);
            }
            finally
            {
                _inMutator = false;
            }

            if (updated is null || delta is null)
            {
                throw new ArgumentNullException(nameof(mutator), "The mutator returned a null value or delta.");
            }

            if (ReferenceEquals(updated, current))
            {
                entry = null;
                return current;
            }

            entry = RecordLocalEvent(key.Name, new ReplicatedValue<T>(updated), new ReplicatedValue<T>(delta));
            return updated;
        }
    }

    private static ReplicatedValue<T> Cast<T>(ReplicatedKey<T> key, ReplicatedValue value)
        where T : class, IMergeable<T> =>
        value as ReplicatedValue<T>
        ?? throw new InvalidOperationException($"Key '{key.Name}' holds a {value.ValueType.Name}, not a {typeof(T).Name}: two keys share the name with different types.");

    private void ThrowIfInMutator()
    {
        if (_inMutator)
        {
            throw new InvalidOperationException("A DeltaMutator must not call back into its replicator.");
        }
    }

    private DeltaLogEntry RecordLocalEvent(string key, ReplicatedValue value, ReplicatedValue delta)
    {
        VersionVector before = _vector;
        var entry = DeltaLogEntry.FromCanonical(before, before.Increment(Replica), ImmutableArray.Create(new KeyValuePair<string, ReplicatedValue>(key, delta)));
        _values[key] = value;
        Append(entry);
        return entry;
    }
}
