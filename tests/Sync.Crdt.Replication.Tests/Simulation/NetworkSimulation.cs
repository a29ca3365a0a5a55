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
/// A deterministic network of <see cref="DeltaReplicator"/>s, each behind a <see cref="ReplicationPump"/>: a schedule
/// of updates, sync rounds, pushes, deliveries, partitions, crashes, snapshots and commits runs against an in-memory
/// transport that drops, duplicates, delays and reorders the encoded frames from a seeded random source. Afterwards
/// <see cref="Quiesce"/> heals everything and runs fault-free rounds, and the caller checks convergence and the
/// sequential specification (<see cref="AssertConvergedToSpecification"/>).
/// </summary>
/// <remarks>
/// In a durable schedule every node keeps a <see cref="SimulatedStore"/>: it appends each delta log entry, commits
/// at commit steps, and its pump holds frames until then (<see cref="ReplicationPumpOptions.HoldUntilDurable"/>).
/// A crash loses what was not committed and restarts the node from its store's snapshot and log under a fresh id;
/// the simulation checks that no frame that left the node claimed events the store lost.
/// </remarks>
public sealed class NetworkSimulation
{
    public static readonly ReplicatedKey<TestCounter> Counter = new("count");
    public static readonly ReplicatedKey<MaxRegister> Max = new("max");
    public static readonly ReplicatedKey<GrowSet> Grow = new("grow");
    public static readonly ReplicatedKey<TestORSet> Set = new("set");
    public static readonly ReplicatedKey<PNCounter> Pn = new("pn");
    public static readonly ReplicatedKey<MVRegister<int>> Mv = new("mv");
    public static readonly ReplicatedKey<ORSet<int>> OrSet = new("orset");
    public static readonly ReplicatedKey<LWWMap<int, int>> Map = new("lww");

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
            _nodes[i] = new Node(i) { Store = schedule.Durable ? new SimulatedStore(IdOf(i, 0)) : null };
            Start(_nodes[i], NewReplicator(_nodes[i], snapshot: null));
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

    public long PushedFrames { get; private set; }

    /// <summary>Gets the frames a durable node's pump held back until a commit and then sent.</summary>
    public long FramesReleasedByCommits { get; private set; }

    /// <summary>Gets the crashes of durable nodes that restored deltas from their store's log.</summary>
    public long RestoresWithLog { get; private set; }

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
            while (_inFlight.Count > 0 || _nodes.Any(n => n.Store?.PendingCount > 0))
            {
                foreach (Node node in _nodes)
                {
                    Commit(node);
                }

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
            Check(kept || !update.Committed, $"update {update} was committed by its replica's store but lost in a crash");
            if (kept)
            {
                survived.Add(update);
            }
        }

        DeltaReplicator any = _nodes[0].Replicator;
        long expectedCount = survived.Where(u => u.Key == Counter.Name).Sum(u => (long)u.Value);
        Check(any.Get(Counter).Value == expectedCount, $"counter {any.Get(Counter).Value} != sum of surviving increments {expectedCount}");

        long expectedMax = survived.Where(u => u.Key == Max.Name).Select(u => (long)u.Value).DefaultIfEmpty(0).Max();
        Check(any.Get(Max).Value == expectedMax, $"max register {any.Get(Max).Value} != {expectedMax}");

        var expectedGrow = survived.Where(u => u.Key == Grow.Name).Select(u => u.Value).ToImmutableSortedSet();
        Check(any.Get(Grow).Elements.SetEquals(expectedGrow), $"grow set {any.Get(Grow)} != {{{string.Join(",", expectedGrow)}}}");

        // Add-wins observed-remove semantics: an element is present iff one of its surviving add dots was
        // observed by no surviving remove.
        var removedDots = survived.Where(u => u.Key == Set.Name && u.Observed is not null).SelectMany(u => u.Observed!).ToHashSet();
        var expectedSet = survived.Where(u => u.Key == Set.Name && u.Observed is null && !removedDots.Contains(u.Dot)).Select(u => u.Value).ToImmutableSortedSet();
        Check(any.Get(Set).Elements.SequenceEqual(expectedSet), $"or-set {any.Get(Set)} != {{{string.Join(",", expectedSet)}}}");

        long expectedPn = survived.Where(u => u.Key == Pn.Name).Sum(u => (long)u.Value);
        Check(any.Get(Pn).Value == expectedPn, $"PN-counter {any.Get(Pn).Value} != {expectedPn}");

        // Multi-value register: the surviving writes no surviving write observed.
        var overwritten = survived.Where(u => u.Key == Mv.Name).SelectMany(u => u.Observed!).ToHashSet();
        var expectedMv = survived.Where(u => u.Key == Mv.Name && !overwritten.Contains(u.Dot)).Select(u => u.Value).Order().ToArray();
        int[] actualMv = any.Get(Mv).Values.Order().ToArray();
        Check(actualMv.SequenceEqual(expectedMv), $"MV-register [{string.Join(",", actualMv)}] != [{string.Join(",", expectedMv)}]");

        // Core ORSet, add-wins: an element is present iff a surviving add of it was seen by no surviving
        // remove of it (a replica's state holds exactly the events of its vector, so "seen" is the vector).
        var orOps = survived.Where(u => u.Key == OrSet.Name).ToList();
        var expectedOr = orOps.Where(add => !add.Deleted && !orOps.Any(rm => rm.Deleted && rm.Value == add.Value && rm.SawEvent(add)))
            .Select(u => u.Value).ToImmutableSortedSet();
        ORSet<int> orSet = any.Get(OrSet);
        Check(orSet.SequenceEqual(expectedOr), $"ORSet {{{string.Join(",", orSet)}}} != {{{string.Join(",", expectedOr)}}}");

        // Core LWWMap: per key, the surviving write with the highest timestamp decides (a delete removes).
        LWWMap<int, int> map = any.Get(Map);
        var expectedMap = survived.Where(u => u.Key == Map.Name).GroupBy(u => u.Value)
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
        DeltaReplicator replicator;
        if (node.Store is { } store)
        {
            // A durable node restarts from what its store committed: the snapshot plus the log.
            replicator = DeltaReplicator.Restore(store.Snapshot, store.CommittedLog, id, _options);
            RestoresWithLog += node.Incarnation > 0 && store.CommittedLog.Count > 0 ? 1 : 0;
        }
        else
        {
            replicator = snapshot is null ? new DeltaReplicator(id, _options) : DeltaReplicator.Restore(snapshot, id, _options);
        }

        node.Clock = new LamportClock();
        return replicator;
    }

    /// <summary>Gives the node its replicator and pump, and defines the keys (logging the definitions in a durable node's store).</summary>
    private void Start(Node node, DeltaReplicator replicator)
    {
        node.Replicator = replicator;
        node.Claimed = VersionVector.Empty;
        ReplicationPumpOptions options = new() { HoldUntilDurable = node.Store is not null };
        node.Pump = new ReplicationPump(replicator, TestFormats.Serializer, (to, frame) => Send(node, to, frame), options);
        Define(node, Counter, TestCounter.Empty);
        Define(node, Max, MaxRegister.Empty);
        Define(node, Grow, GrowSet.Empty);
        Define(node, Set, TestORSet.Empty);
        Define(node, Pn, PNCounter.Empty);
        Define(node, Mv, MVRegister<int>.Empty);
        Define(node, OrSet, ORSet<int>.Empty);
        Define(node, Map, LWWMap<int, int>.Empty);
    }

    private static void Define<T>(Node node, ReplicatedKey<T> key, T empty)
        where T : class, IMergeable<T>
    {
        node.Replicator.Define(key, empty, out DeltaLogEntry? entry);
        Log(node, entry);
    }

    private static void Log(Node node, DeltaLogEntry? entry)
    {
        if (entry is not null)
        {
            node.Store?.Append(entry);
        }
    }

    private void Commit(Node node)
    {
        if (node.Store?.Commit() is { } durable)
        {
            long before = node.Pump.FramesSent;
            node.Pump.MarkDurable(durable);
            FramesReleasedByCommits += node.Pump.FramesSent - before;
        }
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
            case StepKind.Push:
                long before = _nodes[step.Node].Pump.FramesSent + _nodes[step.Node].Pump.HeldFrameCount;
                _nodes[step.Node].Pump.Push();
                PushedFrames += _nodes[step.Node].Pump.FramesSent + _nodes[step.Node].Pump.HeldFrameCount - before;
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
                Node node = _nodes[step.Node];
                if (node.Store is { } store)
                {
                    if (store.Compact(node.Replicator) is { } durable)
                    {
                        node.Pump.MarkDurable(durable);
                    }
                }
                else
                {
                    node.Snapshot = node.Replicator.CreateSnapshot();
                }

                break;
            case StepKind.Commit:
                Commit(_nodes[step.Node]);
                break;
        }
    }

    private void Update(Node node, int argument)
    {
        DeltaReplicator replicator = node.Replicator;
        ReplicaId actor = replicator.Replica;
        string key;
        int value = argument;
        Dot dot = default;
        ImmutableSortedSet<Dot>? observed = null;
        VersionVector seen = replicator.Vector;
        LWWTimestamp written = default;
        bool deleted = false;
        DeltaLogEntry? entry;
        switch (argument % 12)
        {
            case 8:
                key = OrSet.Name;
                value = argument % 6;
                replicator.Update(OrSet, (s, me, out d) => s.Add(me, value, out d), out entry);
                break;
            case 9:
                key = OrSet.Name;
                value = argument % 6;
                replicator.Update(OrSet, (s, me, out d) => s.Remove(value, out d), out entry);
                deleted = true;
                break;
            case 10:
            case 11:
                key = Map.Name;
                int mapKey = argument % 5;
                value = mapKey;
                deleted = argument % 3 == 0;
                LamportClock clock = node.Clock;
                LWWMap<int, int> map = replicator.Update(
                    Map,
                    (m, me, out d) => deleted ? m.Remove(me, mapKey, clock, out d) : m.Put(me, mapKey, argument, clock, out d),
                    out entry);
                map.TryGetEntry(mapKey, out LWWMapEntry<int, int> write);
                written = write.Timestamp;
                break;
            case 5:
                key = Pn.Name;
                value = (argument % 11) - 5;
                replicator.Update(Pn, (c, me, out d) => value >= 0 ? c.Increment(me, value, out d) : c.Decrement(me, -value, out d), out entry);
                break;
            case 6:
            case 7:
                key = Mv.Name;
                value = argument % 10;
                MVRegister<int> register = replicator.Update(
                    Mv,
                    (r, me, out d) =>
                    {
                        observed = ImmutableSortedSet.CreateRange(r.Dots);
                        return r.Set(me, value, out d);
                    },
                    out entry);
                dot = Assert.Single(register.Dots);
                break;
            case 0:
                key = Counter.Name;
                value = (argument % 7) + 1;
                replicator.Update(Counter, (c, me, out d) => c.Increment(me, value, out d), out entry);
                break;
            case 1:
                key = Max.Name;
                replicator.Update(Max, (m, me, out d) => m.Set(value, out d), out entry);
                break;
            case 2:
                key = Grow.Name;
                value = argument % 20;
                replicator.Update(Grow, (g, me, out d) => g.Add(value, out d), out entry);
                break;
            case 3:
                key = Set.Name;
                value = argument % 6;
                replicator.Update(Set, (s, me, out d) => s.Add(me, value, out d, out dot), out entry);
                break;
            default:
                key = Set.Name;
                value = argument % 6;
                replicator.Update(Set, (s, me, out d) => s.Remove(value, out d, out observed), out entry);
                break;
        }

        if (entry is not null)
        {
            Log(node, entry);
            _updates.Add(new UpdateRecord(actor, entry.To[actor], key, value, dot, observed)
            {
                Seen = seen,
                Deleted = deleted,
                Written = written,
                Argument = argument,
                Entry = entry,
                Store = node.Store,
            });
        }
    }

    private void Sync(int index) => _nodes[index].Pump.SyncRound();

    /// <summary>The transport: a frame a pump hands over is lost, duplicated or delayed at random.</summary>
    private void Send(Node from, ReplicaId recipient, ReadOnlyMemory<byte> frame)
    {
        if (from.Store is not null)
        {
            // What the frame tells the recipient this node holds: the store must never lose it.
            ReplicationMessage message = TestFormats.Serializer.Deserialize(frame.Span);
            from.Claimed = from.Claimed.Merge(message switch
            {
                DigestMessage digest => digest.Vector,
                DeltaGroupMessage group => group.Top,
                FullStateMessage full => full.Vector,
                _ => VersionVector.Empty,
            });
        }

        int to = NodeOf(recipient);
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
            _inFlight.Add(new InFlight(from.Index, to, frame, _now + _random.Next(_schedule.MaxDelay + 1)));
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
            Node target = _nodes[message.To];
            ReceiveResult result = target.Pump.Receive(message.Frame.Span);
            Log(target, result.Entry);
            DeltaGroupsDelivered += result.Message is DeltaGroupMessage ? 1 : 0;
            FullStatesDelivered += result.Message is FullStateMessage ? 1 : 0;
            GroupsRejectedByCausalRule += result.Outcome == ReceiveOutcome.OutOfCausalOrder ? 1 : 0;
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
        VersionVector claimed = node.Claimed;
        Crashes++;
        node.Incarnation++;
        node.Store?.LosePending();
        DeltaReplicator restarted = NewReplicator(node, node.Snapshot);
        Check(restarted.Vector.Dominates(claimed), $"{old} sent frames claiming {claimed}, but after the crash its store holds only {restarted.Vector}");
        Start(node, restarted);
        _log.Append(CultureInfo.InvariantCulture, $" crash:{old}->{node.Replicator.Replica}@{restarted.Vector}");
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

        public SimulatedStore? Store { get; init; }

        public ReplicationPump Pump { get; set; } = null!;

        /// <summary>Gets or sets the join of the vectors this incarnation's frames claimed it holds.</summary>
        public VersionVector Claimed { get; set; } = VersionVector.Empty;

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

    private readonly record struct InFlight(int From, int To, ReadOnlyMemory<byte> Frame, long DeliverAt);

    private sealed record UpdateRecord(ReplicaId Actor, long Event, string Key, int Value, Dot Dot, ImmutableSortedSet<Dot>? Observed)
    {
        public VersionVector Seen { get; init; } = VersionVector.Empty;

        public bool Deleted { get; init; }

        public LWWTimestamp Written { get; init; }

        public int Argument { get; init; }

        public DeltaLogEntry? Entry { get; init; }

        public SimulatedStore? Store { get; init; }

        /// <summary>Gets whether the update's replica committed it to its store (durable schedules only).</summary>
        public bool Committed => Entry is not null && Store is not null && Store.IsCommitted(Entry);

        public bool SawEvent(UpdateRecord other) => Seen[other.Actor] >= other.Event;

        public override string ToString() => $"{Actor}:{Event} {Key} {Value}";
    }
}
