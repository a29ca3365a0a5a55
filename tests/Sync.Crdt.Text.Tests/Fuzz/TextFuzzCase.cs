using System;
using System.Collections.Generic;
using System.Text;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Tests.Fuzz;

/// <summary>
/// One randomized convergence case for <see cref="TextDocument"/>, fully determined by its seed: 2–7 replicas with skewed
/// activity edit concurrently (about 30% astral characters, edits biased towards surrogate-pair boundaries) while updates
/// travel every way a real deployment delivers them: single-edit updates broadcast to inboxes and delivered in random
/// order (out-of-order ones wait in the pending queue), duplicates and re-deliveries, state-vector diffs against the
/// receiver's current vector or a stale one, whole states, syncs delivered late, long partitions, and restarts from the
/// encoded state (which loses the pending queue). After healing and a final exchange, every replica must hold the same
/// text, ids and state vector, and <see cref="TextFuzzModel"/> checks the text and the order of ids.
/// </summary>
internal sealed class TextFuzzCase
{
    private const string Bmp = "abcdefghijklmnopqrstuvwxyz \u00e9\u4e2d";
    private static readonly string[] Astral = ["\U0001F600", "\U0001F680", "\U00010348", "\U0001D11E", "\U0002070E"];

    private readonly Random _random;
    private readonly TextFuzzStats _stats;
    private readonly TextFuzzModel _model = new();
    private readonly FuzzReplica[] _replicas;
    private readonly double[] _activity;
    private readonly int[] _group;
    private readonly int _steps;

    private TextFuzzCase(int seed, TextFuzzStats stats)
    {
        _random = new Random(seed);
        _stats = stats;
        int count = 2 + _random.Next(6);
        _replicas = new FuzzReplica[count];
        _activity = new double[count];
        _group = new int[count];
        double skew = _random.Next(3);
        double total = 0;
        for (int r = 0; r < count; r++)
        {
            // Random ids, so that id order and creation order differ between cases.
            _replicas[r] = new FuzzReplica(new ReplicaId($"{(char)('p' + _random.Next(8))}{r}"));
            total += 1.0 / Math.Pow(r + 1, skew);
            _activity[r] = total;
        }

        _steps = 20 + _random.Next(_random.Next(2) == 0 ? 80 : 220);
        stats.Cases++;
        stats.Replicas += count;
    }

    /// <summary>Runs the case for <paramref name="seed"/>, adding what it exercised to <paramref name="stats"/>.</summary>
    public static void Run(int seed, TextFuzzStats stats) => new TextFuzzCase(seed, stats).Run();

    private void Run()
    {
        for (int step = 0; step < _steps; step++)
        {
            if (IsPartitioned)
            {
                _stats.PartitionedSteps++;
            }

            int action = _random.Next(100);
            if (action < 45)
            {
                LocalEdit(_replicas[PickActive()]);
            }
            else if (action < 75)
            {
                DeliverOne();
            }
            else if (action < 88)
            {
                Sync();
            }
            else if (action < 92)
            {
                Restart(_replicas[_random.Next(_replicas.Length)]);
            }
            else if (action < 95)
            {
                TogglePartition();
            }
            else
            {
                FuzzReplica replica = _replicas[_random.Next(_replicas.Length)];
                replica.PastVectors.Add(replica.Document.StateVector);
            }
        }

        Heal();
        FinalExchange();
        Check();
    }

    private bool IsPartitioned
    {
        get
        {
            foreach (int g in _group)
            {
                if (g != _group[0])
                {
                    return true;
                }
            }

            return false;
        }
    }

    private int PickActive()
    {
        double x = _random.NextDouble() * _activity[^1];
        int r = 0;
        while (_activity[r] < x)
        {
            r++;
        }

        return r;
    }

    private void LocalEdit(FuzzReplica replica)
    {
        TextDocument document = replica.Document;
        TextUpdate update;
        if (document.Length > 0 && _random.Next(3) == 0)
        {
            (int index, int length) = PickDeleteRange(document);
            List<long> ids = _model.VisibleKeys(document, index, length);
            update = document.Delete(index, length);
            _model.RecordDelete(ids);
            _stats.LocalDeletes++;
        }
        else
        {
            int index = PickInsertIndex(document);
            string text = RandomText();
            int clock = (int)document.StateVector[replica.Id];
            update = document.Insert(index, text);
            _model.RecordInsert(replica.Id, clock, text);
            List<long> inserted = _model.VisibleKeys(document, index, text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                Assert.Equal(_model.Key(replica.Id, clock + i), inserted[i]);
            }

            _stats.LocalInserts++;
        }

        Observe(document);
        replica.Sent.Add(update);
        int from = Array.IndexOf(_replicas, replica);
        for (int r = 0; r < _replicas.Length; r++)
        {
            if (r != from)
            {
                _replicas[r].Inbox.Add(new Message(from, update));
            }
        }
    }

    private int PickInsertIndex(TextDocument document)
    {
        string text = document.ToString();
        int index = _random.Next(text.Length + 1);
        if (_random.Next(3) == 0 && TryPickPairBoundary(text, out int boundary))
        {
            index = boundary;
            _stats.PairBoundaryEdits++;
        }

        if (index > 0 && index < text.Length && char.IsLowSurrogate(text[index]))
        {
            index += _random.Next(2) == 0 ? -1 : 1;
        }

        return index;
    }

    private (int Index, int Length) PickDeleteRange(TextDocument document)
    {
        string text = document.ToString();
        int index = _random.Next(text.Length);
        if (_random.Next(3) == 0 && TryPickPairBoundary(text, out int boundary) && boundary < text.Length)
        {
            index = boundary;
            _stats.PairBoundaryEdits++;
        }

        if (char.IsLowSurrogate(text[index]))
        {
            index--;
        }

        int end = Math.Min(text.Length, index + 1 + _random.Next(_random.Next(4) == 0 ? 12 : 4));
        if (end < text.Length && char.IsLowSurrogate(text[end]))
        {
            end++;
        }

        return (index, end - index);
    }

    /// <summary>Picks an index right before or right after a surrogate pair, if the text has one.</summary>
    private bool TryPickPairBoundary(string text, out int boundary)
    {
        int start = _random.Next(text.Length + 1);
        for (int k = 0; k < text.Length; k++)
        {
            int i = (start + k) % text.Length;
            if (char.IsHighSurrogate(text[i]))
            {
                boundary = _random.Next(2) == 0 ? i : i + 2;
                return true;
            }
        }

        boundary = 0;
        return false;
    }

    private string RandomText()
    {
        var text = new StringBuilder();
        for (int n = 1 + _random.Next(_random.Next(5) == 0 ? 8 : 3); n > 0; n--)
        {
            if (_random.Next(10) < 3)
            {
                text.Append(Astral[_random.Next(Astral.Length)]);
                _stats.AstralUnitsInserted += 2;
            }
            else
            {
                text.Append(Bmp[_random.Next(Bmp.Length)]);
            }
        }

        _stats.UnitsInserted += text.Length;
        return text.ToString();
    }

    private void DeliverOne()
    {
        int start = _random.Next(_replicas.Length);
        for (int k = 0; k < _replicas.Length; k++)
        {
            int r = (start + k) % _replicas.Length;
            FuzzReplica receiver = _replicas[r];
            int count = receiver.Inbox.Count;
            int first = count == 0 ? 0 : _random.Next(count);
            for (int m = 0; m < count; m++)
            {
                int i = (first + m) % count;
                Message message = receiver.Inbox[i];
                if (_group[message.From] != _group[r])
                {
                    continue;
                }

                bool keep = _random.Next(10) == 0;
                if (!keep)
                {
                    receiver.Inbox.RemoveAt(i);
                }
                else
                {
                    _stats.Duplicates++;
                }

                Apply(receiver, message.Update);
                _stats.SingleEditDeliveries++;
                return;
            }
        }
    }

    private void Sync()
    {
        int a = _random.Next(_replicas.Length);
        int b = _random.Next(_replicas.Length - 1);
        if (b >= a)
        {
            b++;
        }

        if (_group[a] != _group[b])
        {
            return;
        }

        FuzzReplica sender = _replicas[a];
        FuzzReplica receiver = _replicas[b];
        TextUpdate update;
        switch (_random.Next(3))
        {
            case 0:
                update = sender.Document.EncodeStateAsUpdate();
                _stats.WholeStates++;
                break;
            case 1:
                update = sender.Document.EncodeStateAsUpdate(receiver.Document.StateVector);
                _stats.CurrentDiffs++;
                break;
            default:
                VersionVector stale = receiver.PastVectors.Count == 0 ? VersionVector.Empty : receiver.PastVectors[_random.Next(receiver.PastVectors.Count)];
                update = sender.Document.EncodeStateAsUpdate(stale);
                _stats.StaleDiffs++;
                break;
        }

        receiver.PastVectors.Add(receiver.Document.StateVector);
        if (_random.Next(5) < 2)
        {
            // Delivered late: after whatever else reaches the receiver meanwhile.
            receiver.Inbox.Add(new Message(a, update));
            _stats.DelayedSyncs++;
        }
        else
        {
            Apply(receiver, update);
        }
    }

    private void Restart(FuzzReplica replica)
    {
        TextDocument before = replica.Document;
        var restarted = new TextDocument(replica.Id);
        restarted.ApplyUpdate(before.EncodeStateAsUpdate());
        Assert.Equal(before.ToString(), restarted.ToString());
        Assert.Equal(before.StateVector, restarted.StateVector);
        replica.Document = restarted;
        _stats.Restarts++;
        Observe(restarted);
    }

    private void TogglePartition()
    {
        if (IsPartitioned)
        {
            Heal();
            return;
        }

        for (int r = 0; r < _group.Length; r++)
        {
            _group[r] = _random.Next(2);
        }

        _stats.Partitions++;
    }

    private void Heal() => Array.Clear(_group);

    private void Apply(FuzzReplica receiver, TextUpdate update)
    {
        bool pendingBefore = receiver.Document.HasPendingUpdates;
        receiver.Document.ApplyUpdate(update);
        if (receiver.Document.HasPendingUpdates)
        {
            _stats.DeliveriesLeavingPending++;
        }
        else if (pendingBefore)
        {
            _stats.PendingCleared++;
        }

        Observe(receiver.Document);
    }

    private void Observe(TextDocument document)
    {
        _model.Observe(document);
        _stats.Observations++;
    }

    private void FinalExchange()
    {
        // Whatever is still in flight arrives, in random order, some twice.
        foreach (FuzzReplica receiver in _replicas)
        {
            List<Message> inbox = receiver.Inbox;
            _random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(inbox));
            foreach (Message message in inbox)
            {
                Apply(receiver, message.Update);
                if (_random.Next(8) == 0)
                {
                    Apply(receiver, message.Update);
                }
            }

            inbox.Clear();
        }

        // Then an anti-entropy round (what a reconnect does): each replica asks every other one for what it lacks.
        // Restarts lost pending queues, so this round is what guarantees that everything arrives.
        foreach (FuzzReplica receiver in _replicas)
        {
            foreach (FuzzReplica sender in _replicas)
            {
                if (sender != receiver)
                {
                    TextUpdate update = _random.Next(4) == 0
                        ? sender.Document.EncodeStateAsUpdate()
                        : sender.Document.EncodeStateAsUpdate(receiver.Document.StateVector);
                    Apply(receiver, update);
                }
            }
        }
    }

    private void Check()
    {
        TextDocument first = _replicas[0].Document;
        string text = first.ToString();
        var firstIds = new List<(ReplicaId, int, bool)>();
        first.CollectIds(firstIds);
        foreach (FuzzReplica replica in _replicas)
        {
            TextDocument document = replica.Document;
            Assert.False(document.HasPendingUpdates, $"{replica.Id} still has {document.PendingCount} pending parts");
            Assert.Equal(text, document.ToString());
            Assert.Equal(first.StateVector, document.StateVector);
            var ids = new List<(ReplicaId, int, bool)>();
            document.CollectIds(ids);
            Assert.Equal(firstIds, ids);
            _model.CheckFinal(document);

            // A re-delivered old edit changes nothing.
            if (replica.Sent.Count > 0)
            {
                document.ApplyUpdate(replica.Sent[_random.Next(replica.Sent.Count)]);
                Assert.Equal(text, document.ToString());
            }
        }

        var fresh = new TextDocument(new ReplicaId("fresh"));
        fresh.ApplyUpdate(_replicas[^1].Document.EncodeStateAsUpdate());
        Assert.Equal(text, fresh.ToString());
        Assert.Equal(first.StateVector, fresh.StateVector);
    }

    private sealed class FuzzReplica
    {
        public FuzzReplica(ReplicaId id)
        {
            Id = id;
            Document = new TextDocument(id);
        }

        public ReplicaId Id { get; }

        public TextDocument Document { get; set; }

        public List<Message> Inbox { get; } = new();

        public List<TextUpdate> Sent { get; } = new();

        public List<VersionVector> PastVectors { get; } = new();
    }

    private readonly record struct Message(int From, TextUpdate Update);
}
