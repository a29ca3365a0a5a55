using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Sync.Crdt.Encoding;
using Sync.Crdt.Testing.Internal;

namespace Sync.Crdt.Testing;

/// <summary>
/// A configured law check of <typeparamref name="T"/>'s merge (see <see cref="CrdtLaws"/> for the laws). Values come
/// from a generator (<see cref="WithValues"/>), from histories of operations (<see cref="WithOperations{TOp}(CrdtOperations{T, TOp})"/>),
/// or both; each join law runs on each source. <see cref="Run()"/> checks every law the configuration allows.
/// </summary>
/// <typeparam name="T">The checked type.</typeparam>
/// <remarks>
/// Immutable: every <c>With…</c> method returns a new check, so a base configuration can be shared. Each law runs
/// <see cref="Iterations"/> generated cases (default 100); a failing case is shrunk before it is reported. Cost per
/// case is a few merges per value; histories have at most <see cref="MaxSteps"/> steps on up to
/// <see cref="MaxReplicas"/> replicas.
/// </remarks>
public sealed class CrdtCheck<T>
    where T : class, IMergeable<T>, IEquatable<T>
{
    private CrdtGen<T>? _values;
    private IOperationLaws<T>? _operations;
    private T? _empty;
    private ICrdtValueCodec<T>? _codec;
    private CrdtSerializerOptions? _codecOptions;
    private JsonSerializerOptions? _json;
    private Func<T, string>? _format;
    private bool _sameInstance = true;
    private ulong? _seed;
    private string? _replay;
    private string _name = Display.TypeName(typeof(T));

    internal CrdtCheck()
    {
    }

    /// <summary>Cases per law (default 100).</summary>
    public int Iterations { get; private set; } = 100;

    /// <summary>The most replicas in a generated history (default 4; at least 2).</summary>
    public int MaxReplicas { get; private set; } = 4;

    /// <summary>The most steps (operations and merges) in a generated history (default 24).</summary>
    public int MaxSteps { get; private set; } = 24;

    /// <summary>Checks values from <paramref name="values"/>: independent values, each valid on its own.</summary>
    /// <param name="values">The generator.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    public CrdtCheck<T> WithValues(CrdtGen<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return With(c => c._values = values);
    }

    /// <summary>Checks the states and deltas of generated histories of <paramref name="operations"/>, and the operation laws.</summary>
    /// <typeparam name="TOp">The operation type.</typeparam>
    /// <param name="operations">The operations (see <see cref="CrdtOperations.Create{T, TOp}"/>).</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operations"/> is <see langword="null"/>.</exception>
    public CrdtCheck<T> WithOperations<TOp>(CrdtOperations<T, TOp> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return With(c => c._operations = operations);
    }

    /// <summary>Checks histories of operations from <paramref name="generator"/>, applied by <paramref name="apply"/>.</summary>
    /// <typeparam name="TOp">The operation type.</typeparam>
    /// <param name="generator">Generates operations.</param>
    /// <param name="apply">Applies one at a replica and returns its delta.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CrdtCheck<T> WithOperations<TOp>(CrdtGen<TOp> generator, CrdtMutation<T, TOp> apply) =>
        WithOperations(CrdtOperations.Create(generator, apply));

    /// <summary>Sets the empty value (the bottom, identity of merge), needed by the identity law and by histories.</summary>
    /// <param name="empty">The empty value.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="empty"/> is <see langword="null"/>.</exception>
    public CrdtCheck<T> WithEmpty(T empty)
    {
        ArgumentNullException.ThrowIfNull(empty);
        return With(c => c._empty = empty);
    }

    /// <summary>Checks binary round trips through <paramref name="codec"/> (with <c>CrdtSerializer</c>'s message framing).</summary>
    /// <param name="codec">The codec.</param>
    /// <param name="options">The serializer options (element codecs); <see langword="null"/> for the defaults.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    public CrdtCheck<T> WithBinaryCodec(ICrdtValueCodec<T> codec, CrdtSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return With(c => (c._codec, c._codecOptions) = (codec, options));
    }

    /// <summary>
    /// Checks JSON round trips with <paramref name="options"/>, which must describe <typeparamref name="T"/> (for a
    /// Sync.Crdt type: <c>new JsonSerializerOptions().AddSyncCrdt&lt;T&gt;()</c>, plus a resolver under native AOT).
    /// </summary>
    /// <param name="options">The serializer options.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has no <see cref="JsonSerializerOptions.TypeInfoResolver"/>
    /// (set <c>new DefaultJsonTypeInfoResolver()</c> or a source-generated context).</exception>
    public CrdtCheck<T> WithJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TypeInfoResolver is null)
        {
            throw new ArgumentException("The JSON options need a TypeInfoResolver: new DefaultJsonTypeInfoResolver() (reflection) or a source-generated context.", nameof(options));
        }

        return With(c => c._json = options);
    }

    /// <summary>Sets how values appear in counterexamples (default: <see cref="object.ToString"/>).</summary>
    /// <param name="format">The formatter.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is <see langword="null"/>.</exception>
    public CrdtCheck<T> WithFormatter(Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return With(c => c._format = format);
    }

    /// <summary>
    /// Turns off the same-instance rules (<c>a.Merge(a)</c> returns <c>a</c>; merging an included value, or a no-op
    /// operation, returns the receiver). Sync.Crdt types keep them so callers detect "nothing new" by reference; a type
    /// that always allocates can still be a correct join.
    /// </summary>
    /// <returns>The new check.</returns>
    public CrdtCheck<T> WithoutSameInstanceRules() => With(c => c._sameInstance = false);

    /// <summary>Sets the cases per law.</summary>
    /// <param name="iterations">At least 1.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is less than 1.</exception>
    public CrdtCheck<T> WithIterations(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        return With(c => c.Iterations = iterations);
    }

    /// <summary>Sets the size of generated histories.</summary>
    /// <param name="maxReplicas">The most replicas, 2 to 64.</param>
    /// <param name="maxSteps">The most steps, 1 to 10,000.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CrdtCheck<T> WithHistorySize(int maxReplicas, int maxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReplicas, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxReplicas, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSteps, 10_000);
        return With(c => (c.MaxReplicas, c.MaxSteps) = (maxReplicas, maxSteps));
    }

    /// <summary>Sets the seed (<see cref="CrdtCheck.SeedVariable"/> still overrides it).</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The new check.</returns>
    public CrdtCheck<T> WithSeed(ulong seed) => With(c => c._seed = seed);

    /// <summary>Runs only the case of <paramref name="token"/> (from a failure message) for the law it names.</summary>
    /// <param name="token">The replay token.</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentException"><paramref name="token"/> is null or blank.</exception>
    public CrdtCheck<T> WithReplay(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return With(c => c._replay = token);
    }

    /// <summary>Sets the name that failure messages and replay tokens use for the type (default: its C# name).</summary>
    /// <param name="name">The name (no <c>|</c>).</param>
    /// <returns>The new check.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank or contains <c>|</c>.</exception>
    public CrdtCheck<T> WithName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("The name must not contain '|'.", nameof(name));
        }

        return With(c => c._name = name);
    }

    /// <summary>Checks every law this configuration allows (codec laws only with a codec, operation laws only with operations, …).</summary>
    /// <exception cref="CrdtCheckException">A law does not hold; the message has the shrunk counterexample.</exception>
    /// <exception cref="InvalidOperationException">Neither values nor operations are configured.</exception>
    public void Run() => Run(Applicable(), requireAll: false);

    /// <summary>Checks exactly <paramref name="laws"/>.</summary>
    /// <param name="laws">The laws.</param>
    /// <exception cref="CrdtCheckException">A law does not hold; the message has the shrunk counterexample.</exception>
    /// <exception cref="InvalidOperationException">A requested law needs something not configured (a codec, operations, a model, the empty value).</exception>
    public void Run(CrdtLaws laws) => Run(laws, requireAll: true);

    private CrdtLaws Applicable()
    {
        CrdtLaws laws = CrdtLaws.Commutative | CrdtLaws.Associative | CrdtLaws.Idempotent | CrdtLaws.Equality;
        laws |= _empty is not null ? CrdtLaws.Identity : CrdtLaws.None;
        laws |= _operations is not null && _empty is not null ? CrdtLaws.Deltas | CrdtLaws.Convergence : CrdtLaws.None;
        laws |= _operations is { HasModel: true } && _empty is not null ? CrdtLaws.Model : CrdtLaws.None;
        laws |= _codec is not null ? CrdtLaws.BinaryCodec : CrdtLaws.None;
        laws |= _json is not null ? CrdtLaws.JsonCodec : CrdtLaws.None;
        return laws;
    }

    private void Run(CrdtLaws laws, bool requireAll)
    {
        if (_values is null && _operations is null)
        {
            throw new InvalidOperationException("Nothing to check: call WithValues or WithOperations.");
        }

        CrdtLaws missing = laws & ~Applicable();
        if (requireAll && missing != CrdtLaws.None)
        {
            throw new InvalidOperationException($"The laws {missing} need configuration this check lacks (WithEmpty, WithOperations, a model, WithBinaryCodec or WithJson).");
        }

        laws &= Applicable();
        var lattice = new Lattice<T>(_empty, _format, _sameInstance, MaxReplicas, MaxSteps);
        ulong seed = SeedOf();
        string? replay = _replay ?? Environment.GetEnvironmentVariable(CrdtCheck.ReplayVariable);

        var sources = new List<(string Name, ValueSource<T> Source)>();
        if (_values is { } values)
        {
            sources.Add(("values", (context, count) =>
            {
                var drawn = new T[count];
                for (int i = 0; i < count; i++)
                {
                    drawn[i] = lattice.Note(context, ((char)('a' + i)).ToString(), context.Draw(values));
                }

                return drawn;
            }));
        }

        if (_operations is { } operations && _empty is not null)
        {
            sources.Add(("history", (context, count) => operations.HistoryValues(lattice, context, count)));
        }

        void Law(CrdtLaws law, string name, Action<GenContext> body)
        {
            if ((laws & law) != 0)
            {
                PropertyRunner.Check(_name, name, body, Iterations, seed, replay);
            }
        }

        foreach ((string family, ValueSource<T> source) in sources)
        {
            Law(CrdtLaws.Commutative, "commutative/" + family, c => ValueLaws.Commutative(lattice, source, c));
            Law(CrdtLaws.Associative, "associative/" + family, c => ValueLaws.Associative(lattice, source, c));
            Law(CrdtLaws.Idempotent, "idempotent/" + family, c => ValueLaws.Idempotent(lattice, source, c));
            Law(CrdtLaws.Identity, "identity/" + family, c => ValueLaws.Identity(lattice, source, c));
            Law(CrdtLaws.Equality, "equality/" + family, c => ValueLaws.Equality(lattice, source, c));
            if (_codec is not null)
            {
                Law(CrdtLaws.BinaryCodec, "binary-codec/" + family, c => ValueLaws.BinaryCodec(lattice, source, c, _codec, _codecOptions));
            }

            if (_json is not null)
            {
                Law(CrdtLaws.JsonCodec, "json-codec/" + family, c => ValueLaws.JsonCodec(lattice, source, c, _json));
            }
        }

        if (_operations is { } ops)
        {
            Law(CrdtLaws.Deltas, "deltas", c => ops.Deltas(lattice, c));
            Law(CrdtLaws.Convergence, "convergence", c => ops.Convergence(lattice, c));
            Law(CrdtLaws.Model, "model", c => ops.Model(lattice, c));
        }
    }

    private ulong SeedOf()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(CrdtCheck.SeedVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (string.Equals(fromEnvironment.Trim(), "random", StringComparison.OrdinalIgnoreCase))
            {
                return (ulong)Random.Shared.NextInt64(long.MaxValue);
            }

            if (ulong.TryParse(fromEnvironment, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong parsed))
            {
                return parsed;
            }

            throw new InvalidOperationException($"{CrdtCheck.SeedVariable} must be a decimal unsigned 64-bit integer or 'random', not '{fromEnvironment}'.");
        }

        return _seed ?? ChoiceSource.Hash(_name);
    }

    private CrdtCheck<T> With(Action<CrdtCheck<T>> change)
    {
        var copy = (CrdtCheck<T>)MemberwiseClone();
        change(copy);
        return copy;
    }
}
