using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests.Simulation;

/// <summary>
/// A deterministic network of <see cref="DeltaReplicator"/>s: a schedule of updates, sync rounds, deliveries,
/// partitions, crashes and snapshots runs against an in-memory transport that drops, duplicates, delays and
/// reorders messages from a seeded random source. Afterwards <see cref="Quiesce"/> heals everything and runs
/// fault-free rounds, and the caller checks convergence and the sequential specification
/// (<see cref="AssertConvergedToSpecification"/>).
/// </summary>
public sealed class NetworkSimulation
{
    public const string CounterKey = "count";
    public const string MaxKey = "max";
    public const string GrowKey = "grow";
    public const string SetKey = "set";
    public const string PnKey = "pn";
    public const string MVKey = "mv";
    public const string ORSetKey = "orset";
    public const string MapKey = "lww";

    private readonly SimulationSchedule _schedule;
    private readonly Random _random;
    private readonly Node[] _nodes;
    private readonly List<InFlight> _inFlight = [];
    private readonly List<UpdateRecord> _updates = [];
    private readonly StringBuilder _log = new();
    private readonly ReplicatorOptions _options;
    private int _partitionMask;
    private long _now;
    private bool _faultsOn = true;

    public NetworkSimulation(SimulationSchedule schedule)
    {
        _schedule = schedule;
        _random = new Random(schedule.Seed);
        _options = new ReplicatorOptions(schedule.MaxBufferedDeltas);
        _nodes = new Node[schedule.Nodes];
        for (int i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new Node(i);
            _nodes[i].Replicator = NewReplicator(_nodes[i], snapshot: null);
        }

        for (int i = 0; i < _nodes.Length; i++)
        {
            ConnectPeers(i);
        }
    }

    public long MessagesDelivered { get; private set; }

    public long DeltaGroupsDelivered { get; private set; }

    public long FullStatesDelivered { get; private set; }

    public long GroupsRejectedByCausalRule { get; private set; }

    public long Crashes { get; private set; }

    public IEnumerable<DeltaReplicator> Replicators => _nodes.Select(n => n.Replicator);

    public void Run()
    {
        foreach (SimulationStep step in _schedule.Steps)
        {
            _now++;
            Execute(step);
        }
    }

    /// <summary>Heals the partition, stops faults, and runs sync rounds until every replica has the same vector and the network is empty.</summary>
    public int Quiesce(int maxRounds = 30)
    {
        _partitionMask = 0;
        _faultsOn = false;
        _log.Append(" | quiesce");
        for (int round = 1; round <= maxRounds; round++)
        {
            for (int i = 0; i < _nodes.Length; i++)
            {
                Sync(i);
            }

            int guard = 0;
            while (_inFlight.Count > 0)
            {
                _now += _schedule.MaxDelay + 1;
                DeliverDue(int.MaxValue);
                if (++guard > 10_000)
                {
                    throw new InvalidOperationException("Messages keep flowing after healing: " + Describe());
                }
            }

            VersionVector first = _nodes[0].Replicator.Vector;
            if (_nodes.All(n => n.Replicator.Vector.Equals(first)))
            {
                return round;
            }
        }

        return maxRounds + 1;
    }

    public void AssertConvergedToSpecification()
    {
        ReplicatorSnapshot reference = _nodes[0].Replicator.CreateSnapshot();
        foreach (Node node in _nodes)
        {
            ReplicatorSnapshot snapshot = node.Replicator.CreateSnapshot();
            Check(snapshot.Vector.Equals(reference.Vector), $"vectors differ: {node.Replicator.Replica} has {snapshot.Vector}, {reference.Replica} has {reference.Vector}");
            Check(snapshot.Values.SequenceEqual(reference.Values), $"values differ between {node.Replicator.Replica} and {reference.Replica}: {Values(snapshot)} vs {Values(reference)}");
        }

        VersionVector final = reference.Vector;
        var live = new HashSet<ReplicaId>(_nodes.Select(n => n.Replicator.Replica));
        var survived = new List<UpdateRecord>();
        foreach (UpdateRecord update in _updates)
        {
            bool kept = final[update.Actor] >= update.Event;
            Check(kept || !live.Contains(update.Actor), $"update {update} by live replica {update.Actor} was lost");
            if (kept)
            {
                survived.Add(update);
            }
        }

        DeltaReplicator any = _nodes[0].Replicator;
        long expectedCount = survived.Where(u => u.Key == CounterKey).Sum(u => (long)u.Value);
        Check(any.Get<TestCounter>(CounterKey).Value == expectedCount, $"counter {any.Get<TestCounter>(CounterKey).Value} != sum of surviving increments {expectedCount}");

        long expectedMax = survived.Where(u => u.Key == MaxKey).Select(u => (long)u.Value).DefaultIfEmpty(0).Max();
        Check(any.Get<MaxRegister>(MaxKey).Value == expectedMax, $"max register {any.Get<MaxRegister>(MaxKey).Value} != {expectedMax}");

        var expectedGrow = survived.Where(u => u.Key == GrowKey).Select(u => u.Value).ToImmutableSortedSet();
        Check(any.Get<GrowSet>(GrowKey).Elements.SetEquals(expectedGrow), $"grow set {any.Get<GrowSet>(GrowKey)} != {{{string.Join(",", expectedGrow)}}}");

        // Add-wins observed-remove semantics: an element is present iff one of its surviving add dots was
        // observed by no surviving remove.
        var removedDots = survived.Where(u => u.Key == SetKey && u.Observed is not null).SelectMany(u => u.Observed!).ToHashSet();
        var expectedSet = survived.Where(u => u.Key == SetKey && u.Observed is null && !removedDots.Contains(u.Dot)).Select(u => u.Value).ToImmutableSortedSet();
        Check(any.Get<TestORSet>(SetKey).Elements.SequenceEqual(expectedSet), $"or-set {any.Get<TestORSet>(SetKey)} != {{{string.Join(",", expectedSet)}}}");

        long expectedPn = survived.Where(u => u.Key == PnKey).Sum(u => (long)u.Value);
        Check(any.Get<PNCounter>(PnKey).Value == expectedPn, $"PN-counter {any.Get<PNCounter>(PnKey).Value} != {expectedPn}");

        // Multi-value register: the surviving writes no surviving write observed.
        var overwritten = survived.Where(u => u.Key == MVKey).SelectMany(u => u.Observed!).ToHashSet();
        var expectedMv = survived.Where(u => u.Key == MVKey && !overwritten.Contains(u.Dot)).Select(u => u.Value).Order().ToArray();
        int[] actualMv = any.Get<MVRegister<int>>(MVKey).Values.Order().ToArray();
        Check(actualMv.SequenceEqual(expectedMv), $"MV-register [{string.Join(",", actualMv)}] != [{string.Join(",", expectedMv)}]");

        // Core ORSet, add-wins: an element is present iff a surviving add of it was seen by no surviving
        // remove of it (a replica's state holds exactly the events of its vector, so "seen" is the vector).
        var orOps = survived.Where(u => u.Key == ORSetKey).ToList();
        var expectedOr = orOps.Where(add => !add.Deleted && !orOps.Any(rm => rm.Deleted && rm.Value == add.Value && rm.SawEvent(add)))
            .Select(u => u.Value).ToImmutableSortedSet();
        ORSet<int> orSet = any.Get<ORSet<int>>(ORSetKey);
        Check(orSet.SequenceEqual(expectedOr), $"ORSet {{{string.Join(",", orSet)}}} != {{{string.Join(",", expectedOr)}}}");

        // Core LWWMap: per key, the surviving write with the highest timestamp decides (a delete removes).
        LWWMap<int, int> map = any.Get<LWWMap<int, int>>(MapKey);
        var expectedMap = survived.Where(u => u.Key == MapKey).GroupBy(u => u.Value)
            .Select(g => g.MaxBy(u => u.Written)!)
            .Where(winner => !winner.Deleted)
            .ToDictionary(winner => winner.Value, winner => winner.Argument);
        string actualText = string.Join(",", map.Select(e => $"{e.Key}:{e.Value}"));
        string expectedText = string.Join(",", expectedMap.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}"));
        Check(actualText == expectedText, $"LWWMap {{{actualText}}} != {{{expectedText}}}");
    }

    public string Describe() => $"{_schedule}{Environment.NewLine}log:{_log}";

    private static string Values(ReplicatorSnapshot snapshot) => string.Join("; ", snapshot.Values.Select(v => $"{v.Key}={v.Value}"));

    private static ReplicaId IdOf(int node, int incarnation) =>
        incarnation == 0 ? new ReplicaId($"n{node}") : new ReplicaId(string.Create(CultureInfo.InvariantCulture, $"n{node}.{incarnation}"));

    private void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message + Environment.NewLine + Describe());
        }
    }

    private DeltaReplicator NewReplicator(Node node, ReplicatorSnapshot? snapshot)
    {
        ReplicaId id = IdOf(node.Index, node.Incarnation);
        DeltaReplicator replicator = snapshot is null ? new DeltaReplicator(id, _options) : DeltaReplicator.Restore(snapshot, id, _options);
        replicator.Define(CounterKey, TestCounter.Empty);
        replicator.Define(MaxKey, MaxRegister.Empty);
        replicator.Define(GrowKey, GrowSet.Empty);
        replicator.Define(SetKey, TestORSet.Empty);
        replicator.Define(PnKey, PNCounter.Empty);
        replicator.Define(MVKey, MVRegister<int>.Empty);
        replicator.Define(ORSetKey, ORSet<int>.Empty);
        replicator.Define(MapKey, LWWMap<int, int>.Empty);
        node.Clock = new LamportClock();
        return replicator;
    }

    private void ConnectPeers(int index)
    {
        foreach (Node other in _nodes)
        {
            if (other.Index != index)
            {
                _nodes[index].Replicator.AddPeer(other.Replicator.Replica);
            }
        }
    }

    private void Execute(SimulationStep step)
    {
        switch (step.Kind)
        {
            case StepKind.Update:
                Update(_nodes[step.Node], step.Argument);
                break;
            case StepKind.Sync:
                Sync(step.Node);
                break;
            case StepKind.Deliver:
                DeliverDue(step.Argument + 1);
                break;
            case StepKind.Partition:
                _partitionMask = (step.Argument % ((1 << _nodes.Length) - 2)) + 1;
                _log.Append(CultureInfo.InvariantCulture, $" part:{_partitionMask}");
                break;
            case StepKind.Heal:
                _partitionMask = 0;
                break;
            case StepKind.Crash:
                Crash(_nodes[step.Node]);
                break;
            case StepKind.Snapshot:
                _nodes[step.Node].Snapshot = _nodes[step.Node].Replicator.CreateSnapshot();
                break;
        }
    }

    private void Update(Node node, int argument)
    {
        DeltaReplicator replicator = node.Replicator;
        ReplicaId actor = replicator.Replica;
        long before = replicator.Vector[actor];
        string key;
        int value = argument;
        Dot dot = default;
        ImmutableSortedSet<Dot>? observed = null;
        VersionVector seen = replicator.Vector;
        LWWTimestamp written = default;
        bool deleted = false;
        switch (argument % 12)
        {
            case 8:
                key = ORSetKey;
                value = argument % 6;
                replicator.Update(key, (ORSet<int> s, ReplicaId me, out ORSet<int> d) => s.Add(me, value, out d));
                break;
            case 9:
                key = ORSetKey;
                value = argument % 6;
                replicator.Update(key, (ORSet<int> s, ReplicaId me, out ORSet<int> d) => s.Remove(value, out d));
                deleted = true;
                break;
            case 10:
            case 11:
                key = MapKey;
                int mapKey = argument % 5;
                value = mapKey;
                deleted = argument % 3 == 0;
                LamportClock clock = node.Clock;
                LWWMap<int, int> map = replicator.Update(key, (LWWMap<int, int> m, ReplicaId me, out LWWMap<int, int> d) =>
                    deleted ? m.Remove(me, mapKey, clock, out d) : m.Put(me, mapKey, argument, clock, out d));
                map.TryGetEntry(mapKey, out LWWMapEntry<int, int> entry);
                written = entry.Timestamp;
                break;
            case 5:
                key = PnKey;
                value = (argument % 11) - 5;
                replicator.Update(key, (PNCounter c, ReplicaId me, out PNCounter d) => value >= 0 ? c.Increment(me, value, out d) : c.Decrement(me, -value, out d));
                break;
            case 6:
            case 7:
                key = MVKey;
                value = argument % 10;
                MVRegister<int> register = replicator.Update(key, (MVRegister<int> r, ReplicaId me, out MVRegister<int> d) =>
                {
                    observed = ImmutableSortedSet.CreateRange(r.Dots);
                    return r.Set(me, value, out d);
                });
                dot = Assert.Single(register.Dots);
                break;
            case 0:
                key = CounterKey;
                value = (argument % 7) + 1;
                replicator.Update(key, (TestCounter c, ReplicaId me, out TestCounter d) => c.Increment(me, value, out d));
                break;
            case 1:
                key = MaxKey;
                replicator.Update(key, (MaxRegister m, ReplicaId me, out MaxRegister d) => m.Set(value, out d));
                break;
            case 2:
                key = GrowKey;
                value = argument % 20;
                replicator.Update(key, (GrowSet g, ReplicaId me, out GrowSet d) => g.Add(value, out d));
                break;
            case 3:
                key = SetKey;
                value = argument % 6;
                replicator.Update(key, (TestORSet s, ReplicaId me, out TestORSet d) => s.Add(me, value, out d, out dot));
                break;
            default:
                key = SetKey;
                value = argument % 6;
                replicator.Update(key, (TestORSet s, ReplicaId me, out TestORSet d) => s.Remove(value, out d, out observed));
                break;
        }

        long after = replicator.Vector[actor];
        if (after != before)
        {
            _updates.Add(new UpdateRecord(actor, after, key, value, dot, observed) { Seen = seen, Deleted = deleted, Written = written, Argument = argument });
        }
    }

    private void Sync(int index)
    {
        foreach (OutgoingMessage message in _nodes[index].Replicator.CreateSyncMessages())
        {
            Send(index, message);
        }
    }

    private void Send(int from, OutgoingMessage message)
    {
        int to = NodeOf(message.Recipient);
        if (to < 0)
        {
            return;
        }

        if (_faultsOn && _random.Next(100) < _schedule.DropPercent)
        {
            return;
        }

        int copies = _faultsOn && _random.Next(100) < _schedule.DuplicatePercent ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            _inFlight.Add(new InFlight(from, to, message.Message, _now + _random.Next(_schedule.MaxDelay + 1)));
        }
    }

    private void DeliverDue(int count)
    {
        for (int delivered = 0; delivered < count; delivered++)
        {
            var due = new List<int>();
            for (int i = 0; i < _inFlight.Count; i++)
            {
                if (_inFlight[i].DeliverAt <= _now)
                {
                    due.Add(i);
                }
            }

            if (due.Count == 0)
            {
                return;
            }

            int pick = due[_random.Next(due.Count)];
            InFlight message = _inFlight[pick];
            _inFlight.RemoveAt(pick);
            if (Partitioned(message.From, message.To))
            {
                continue;
            }

            MessagesDelivered++;
            DeltaReplicator target = _nodes[message.To].Replicator;
            if (message.Message is DeltaGroupMessage group)
            {
                DeltaGroupsDelivered++;
                GroupsRejectedByCausalRule += target.Vector.Dominates(group.Base) ? 0 : 1;
            }
            else if (message.Message is FullStateMessage)
            {
                FullStatesDelivered++;
            }

            foreach (OutgoingMessage reply in _nodes[message.To].Replicator.Receive(message.Message))
            {
                Send(message.To, reply);
            }
        }
    }

    private bool Partitioned(int a, int b) =>
        _partitionMask != 0 && (((_partitionMask >> a) & 1) != ((_partitionMask >> b) & 1));

    private int NodeOf(ReplicaId id)
    {
        foreach (Node node in _nodes)
        {
            if (node.Ids.Contains(id))
            {
                return node.Index;
            }
        }

        return -1;
    }

    private void Crash(Node node)
    {
        ReplicaId old = node.Replicator.Replica;
        Crashes++;
        node.Incarnation++;
        node.Replicator = NewReplicator(node, node.Snapshot);
        _log.Append(CultureInfo.InvariantCulture, $" crash:{old}->{node.Replicator.Replica}@{node.Snapshot?.Vector.ToString() ?? "empty"}");
        ConnectPeers(node.Index);
        foreach (Node other in _nodes)
        {
            if (other != node)
            {
                other.Replicator.RemovePeer(old);
                other.Replicator.AddPeer(node.Replicator.Replica);
            }
        }
    }

    private sealed class Node(int index)
    {
        private DeltaReplicator? _replicator;

        public int Index { get; } = index;

        public int Incarnation { get; set; }

        public HashSet<ReplicaId> Ids { get; } = [];

        public LamportClock Clock { get; set; } = new();

        public ReplicatorSnapshot? Snapshot { get; set; }

        public DeltaReplicator Replicator
        {
            get => _replicator!;
            set
            {
                _replicator = value;
                Ids.Add(value.Replica);
            }
        }
    }

    private readonly record struct InFlight(int From, int To, ReplicationMessage Message, long DeliverAt);

    private sealed record UpdateRecord(ReplicaId Actor, long Event, string Key, int Value, Dot Dot, ImmutableSortedSet<Dot>? Observed)
    {
        public VersionVector Seen { get; init; } = VersionVector.Empty;

        public bool Deleted { get; init; }

        public LWWTimestamp Written { get; init; }

        public int Argument { get; init; }

        public bool SawEvent(UpdateRecord other) => Seen[other.Actor] >= other.Event;

        public override string ToString() => $"{Actor}:{Event} {Key} {Value}";
    }
}
