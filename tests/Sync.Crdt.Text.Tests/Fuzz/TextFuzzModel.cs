using System;
using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Tests.Fuzz;

/// <summary>
/// The reference model of a text fuzz case: which code unit every id was inserted with, which ids were deleted by
/// someone, and every order of ids a replica was ever seen to hold. It checks that a replica's text is exactly its visible
/// ids' code units, and at the end that the text is the inserted code units nobody deleted and that no two ids ever
/// changed their relative order (every observed order is a subsequence of the final order, tombstones included).
/// </summary>
internal sealed class TextFuzzModel
{
    private readonly Dictionary<ReplicaId, int> _replicaIndex = new();
    private readonly Dictionary<long, char> _inserted = new();
    private readonly HashSet<long> _deleted = new();
    private readonly List<long[]> _observations = new();
    private readonly List<(ReplicaId Replica, int Clock, bool Deleted)> _scratch = new();

    public int ObservationCount => _observations.Count;

    public int InsertedCount => _inserted.Count;

    public int DeletedCount => _deleted.Count;

    public void RecordInsert(ReplicaId replica, int clock, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            Assert.True(_inserted.TryAdd(Key(replica, clock + i), text[i]), $"id {replica}:{clock + i} inserted twice");
        }
    }

    public void RecordDelete(IReadOnlyList<long> ids)
    {
        foreach (long id in ids)
        {
            _deleted.Add(id);
        }
    }

    /// <summary>Returns the keys of the visible code units in [index, index + length) of a document.</summary>
    public List<long> VisibleKeys(TextDocument document, int index, int length)
    {
        List<long> visible = Visible(document);
        return visible.GetRange(index, length);
    }

    /// <summary>Checks that the document's text is its visible ids' code units and remembers the order of all its ids.</summary>
    public void Observe(TextDocument document)
    {
        _scratch.Clear();
        document.CollectIds(_scratch);
        string text = document.ToString();
        var order = new long[_scratch.Count];
        int visible = 0;
        for (int i = 0; i < _scratch.Count; i++)
        {
            (ReplicaId replica, int clock, bool deleted) = _scratch[i];
            long key = Key(replica, clock);
            order[i] = key;
            Assert.True(_inserted.TryGetValue(key, out char expected), $"{document.Replica} holds id {replica}:{clock}, which nobody inserted");
            if (!deleted)
            {
                Assert.True(visible < text.Length, $"{document.Replica}: more visible ids than text");
                Assert.True(expected == text[visible], $"{document.Replica}: id {replica}:{clock} shows U+{(int)text[visible]:X4}, was inserted as U+{(int)expected:X4}");
                visible++;
            }
        }

        Assert.Equal(text.Length, visible);
        _observations.Add(order);
    }

    /// <summary>Checks a converged document: exactly the undeleted inserted ids are visible, and every observed order is kept.</summary>
    public void CheckFinal(TextDocument document)
    {
        Observe(document);
        long[] final = _observations[^1];
        var position = new Dictionary<long, int>(final.Length);
        for (int i = 0; i < final.Length; i++)
        {
            position.Add(final[i], i);
        }

        Assert.Equal(_inserted.Count, final.Length);
        _scratch.Clear();
        document.CollectIds(_scratch);
        foreach ((ReplicaId replica, int clock, bool deleted) in _scratch)
        {
            bool shouldBeDeleted = _deleted.Contains(Key(replica, clock));
            Assert.True(deleted == shouldBeDeleted, $"{document.Replica}: id {replica}:{clock} is {(deleted ? "deleted" : "visible")}, the model says {(shouldBeDeleted ? "deleted" : "visible")}");
        }

        for (int o = 0; o < _observations.Count; o++)
        {
            long[] seen = _observations[o];
            int last = -1;
            foreach (long key in seen)
            {
                int at = position[key];
                Assert.True(at > last, string.Create(CultureInfo.InvariantCulture, $"observation {o}: id {key >> 32}:{(int)key} moved relative to its predecessor (final positions {last} then {at})"));
                last = at;
            }
        }
    }

    public long Key(ReplicaId replica, int clock)
    {
        if (!_replicaIndex.TryGetValue(replica, out int index))
        {
            index = _replicaIndex.Count;
            _replicaIndex.Add(replica, index);
        }

        return ((long)index << 32) | (uint)clock;
    }

    private List<long> Visible(TextDocument document)
    {
        _scratch.Clear();
        document.CollectIds(_scratch);
        var visible = new List<long>(_scratch.Count);
        foreach ((ReplicaId replica, int clock, bool deleted) in _scratch)
        {
            if (!deleted)
            {
                visible.Add(Key(replica, clock));
            }
        }

        return visible;
    }
}
