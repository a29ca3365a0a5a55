using System;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <summary>
/// One replica of a collaboratively edited text: a YATA sequence CRDT (the algorithm of Yjs) over UTF-16 code units.
/// Local edits (<see cref="Insert"/>, <see cref="Delete"/>) change the text at once and return a <see cref="TextUpdate"/>
/// to ship to the other replicas; <see cref="ApplyUpdate(TextUpdate)"/> merges updates from them.
/// </summary>
/// <remarks>
/// <para><b>Model.</b> Every inserted code unit has a unique id (replica, clock): each replica numbers the code units it
/// inserts 0, 1, 2, ... Consecutive code units typed by one replica form one <i>item</i> (a run) that is split when
/// someone edits inside it and merged back when possible. An item remembers its <i>origins</i>: the ids of the code units
/// left and right of the place it was inserted. Deleting marks items deleted; their content is dropped (garbage
/// collected) while their ids stay, so later edits that refer to them still resolve.</para>
/// <para><b>Merge.</b> Applying updates is commutative, associative and idempotent: replicas that applied the same set of
/// updates, in any order and any number of times, have the same text. An update whose dependencies (earlier clocks of
/// its replica, or the items its origins name) have not arrived waits in a pending queue
/// (<see cref="HasPendingUpdates"/>) and is integrated as soon as they arrive.</para>
/// <para><b>Conflict rule.</b> Concurrent inserts at the same place are ordered by the YATA rules: an insert goes after
/// every concurrent insert whose origin-left lies before its own, concurrent inserts with the same origins are ordered
/// by <see cref="ReplicaId"/> (ordinal; the lower id first), and a run never interleaves with another run: text typed
/// concurrently at one position ends up as contiguous blocks. See docs/text.md for the full rule and examples.</para>
/// <para><b>Units.</b> Indices and lengths are UTF-16 code units (C# <see cref="string"/> indices). A surrogate pair is
/// never split: inserting inside a pair or deleting half of one throws <see cref="ArgumentException"/>.</para>
/// <para><b>Complexity.</b> Items live in one array of structs, grouped into chunks of at most 64 items with cached
/// visible lengths; an index lookup walks the chunk list (starting from the chunk of the previous edit, so local
/// editing is O(1) amortized) and then at most 64 items. Insert and delete of k code units cost O(k + chunks + 64);
/// applying a remote item costs O(log n) for the id lookups plus the concurrent items it must be ordered against.
/// <see cref="ToString"/> and <see cref="EncodeStateAsUpdate"/> are O(n).</para>
/// <para><b>Thread safety.</b> A document is a mutable object and not thread-safe: use it from one thread at a time.
/// Updates (<see cref="TextUpdate"/>) are immutable and may be shared freely.</para>
/// </remarks>
[Mutable]
public sealed partial class TextDocument
{
    private readonly int _localClient;

    /// <summary>Creates an empty document edited by <paramref name="replica"/>.</summary>
    /// <param name="replica">This replica's id; every replica editing the same document must use a different id.</param>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default (invalid) id.</exception>
    public TextDocument(ReplicaId replica)
    {
        if (replica.IsDefault)
        {
            throw new ArgumentException("The default ReplicaId is not a valid replica id.", nameof(replica));
        }

        Replica = replica;
        _localClient = ClientNumber(replica);
    }

    /// <summary>Gets the id of the replica that makes this document's local edits.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Gets the length of the text in UTF-16 code units. O(1).</summary>
    public int Length => _length;

    /// <summary>Gets the number of items (runs) the document stores, deleted ones included; a measure of its metadata size.</summary>
    public int ItemCount => _liveItems;

    /// <summary>Gets a value indicating whether some received updates wait for updates they depend on. O(1).</summary>
    public bool HasPendingUpdates => _pendingItems.Length > 0 || _pendingDeletes.Length > 0;

    /// <summary>Gets the number of item runs and delete ranges waiting for their dependencies. O(1).</summary>
    public int PendingCount => _pendingItems.Length + _pendingDeletes.Length;

    /// <summary>
    /// Gets the state vector: for each replica, the number of code units (clocks 0 .. n-1) it inserted that this document
    /// has integrated. Pending updates are not counted. O(replicas) and allocates a new vector.
    /// </summary>
    public VersionVector StateVector
    {
        get
        {
            var dots = new Dot[_clients.Count];
            int count = 0;
            foreach (ClientLog log in _clients)
            {
                if (log.Next > 0)
                {
                    dots[count++] = new Dot(log.Replica, log.Next);
                }
            }

            return VersionVector.Create(dots.AsSpan(0, count));
        }
    }

    /// <summary>Gets the code unit at <paramref name="index"/>. O(chunks + 64), O(1) near the previous edit.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Length"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public char this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _length);
            int item = Locate(index, out int offset, out _);
            return _content[_items[item].Content + offset];
        }
    }

    /// <summary>Returns the text. O(n); allocates only the string.</summary>
    /// <returns>The current text.</returns>
    public override string ToString() =>
        string.Create(_length, this, static (span, document) =>
        {
            int used = 0;
            foreach (ReadOnlyMemory<char> run in document.EnumerateRuns())
            {
                run.Span.CopyTo(span[used..]);
                used += run.Length;
            }
        });

    /// <summary>
    /// Enumerates the text as read-only runs of code units in document order without copying. The runs are views of the
    /// document's buffer: use them before the next edit (the enumerator throws if the document changes meanwhile).
    /// </summary>
    /// <returns>An allocation-free enumerable of runs.</returns>
    public TextRunEnumerator EnumerateRuns() => new(this);

    /// <summary>
    /// Inserts <paramref name="text"/> at <paramref name="index"/> and returns the update that carries the insert to other
    /// replicas. Amortized O(|text| + chunks) and O(|text|) when typing at the previous edit; an insert that continues
    /// this replica's last run extends it instead of creating an item.
    /// </summary>
    /// <param name="index">Where to insert, 0 ≤ index ≤ <see cref="Length"/>, not between the two halves of a surrogate pair.</param>
    /// <param name="text">The text: well-formed UTF-16 (no unpaired surrogates). Empty text changes nothing.</param>
    /// <returns>The update; <see cref="TextUpdate.Empty"/> when <paramref name="text"/> is empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> has unpaired surrogates, <paramref name="index"/> splits a pair,
    /// or this replica would exceed <see cref="int.MaxValue"/> inserted code units.</exception>
    public TextUpdate Insert(int index, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _length);
        if (text.Length == 0)
        {
            return TextUpdate.Empty;
        }

        if (!IsWellFormedUtf16(text))
        {
            throw new ArgumentException("The text must be well-formed UTF-16 (no unpaired surrogates).", nameof(text));
        }

        ClientLog local = _clients[_localClient];
        if (text.Length > int.MaxValue - local.Next)
        {
            throw new ArgumentException("This replica would exceed the limit of int.MaxValue inserted code units.", nameof(text));
        }

        int left = -1;
        if (index > 0)
        {
            left = Locate(index - 1, out int offset, out _);
            if (char.IsHighSurrogate(_content[_items[left].Content + offset]))
            {
                throw new ArgumentException($"Index {index} lies inside a surrogate pair.", nameof(index));
            }

            if (offset < _items[left].Length - 1)
            {
                SplitItem(left, offset + 1);
            }
        }

        int right = left >= 0 ? _items[left].Right : Head;
        int originLeftClient = left >= 0 ? _items[left].Client : -1;
        int originLeftClock = left >= 0 ? _items[left].Clock + _items[left].Length - 1 : 0;
        int originRightClient = right >= 0 ? _items[right].Client : -1;
        int originRightClock = right >= 0 ? _items[right].Clock : 0;
        int clock = local.Next;

        EnsureContentCapacity(text.Length);
        if (left >= 0
            && originLeftClient == _localClient
            && originLeftClock == clock - 1
            && _items[left].Content >= 0
            && _items[left].Content + _items[left].Length == _contentLength
            && _items[left].OriginRightClient == originRightClient
            && _items[left].OriginRightClock == originRightClock)
        {
            // Typing on at the end of this replica's last run: extend it (the receiver merges the same way).
            AppendContent(text);
            _items[left].Length += text.Length;
            AddVisible(_items[left].Chunk, text.Length);
        }
        else
        {
            int item = AllocateItem();
            _items[item] = new ItemRecord
            {
                Client = _localClient,
                Clock = clock,
                Length = text.Length,
                Content = AppendContent(text),
                OriginLeftClient = originLeftClient,
                OriginLeftClock = originLeftClock,
                OriginRightClient = originRightClient,
                OriginRightClock = originRightClock,
            };
            AppendToClient(_localClient, item);
            LinkAfter(item, left);
        }

        local.Next += text.Length;
        _length += text.Length;
        _version++;
        return EncodeLocalInsert(clock, text, originLeftClient, originLeftClock, originRightClient, originRightClock);
    }

    /// <summary>
    /// Deletes <paramref name="length"/> code units starting at <paramref name="index"/> and returns the update that carries
    /// the delete to other replicas. O(length + items touched + chunks).
    /// </summary>
    /// <param name="index">The first code unit to delete, 0 ≤ index ≤ <see cref="Length"/>.</param>
    /// <param name="length">How many code units to delete, index + length ≤ <see cref="Length"/>; 0 changes nothing.</param>
    /// <returns>The update; <see cref="TextUpdate.Empty"/> when <paramref name="length"/> is 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is out of bounds.</exception>
    /// <exception cref="ArgumentException">The range starts or ends inside a surrogate pair.</exception>
    public TextUpdate Delete(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length - index);
        if (length == 0)
        {
            return TextUpdate.Empty;
        }

        if ((index > 0 && char.IsHighSurrogate(this[index - 1])) || char.IsHighSurrogate(this[index + length - 1]))
        {
            throw new ArgumentException($"The range [{index}, {index + length}) splits a surrogate pair.", nameof(length));
        }

        int h = Locate(index, out int offset, out int previous);
        if (offset > 0)
        {
            previous = h;
            h = SplitItem(h, offset);
        }

        _deleteScratch.Clear();
        int remaining = length;
        while (remaining > 0)
        {
            if (_items[h].Content < 0)
            {
                previous = h;
                h = _items[h].Right;
                continue;
            }

            if (_items[h].Length > remaining)
            {
                SplitItem(h, remaining);
            }

            ref ItemRecord item = ref _items[h];
            int deleted = item.Length;
            item.Content = -1;
            AddVisible(item.Chunk, -deleted);
            remaining -= deleted;
            _deleteScratch.Add(item.Client, item.Clock, deleted);
            if (TryMerge(previous, h))
            {
                h = previous;
            }

            previous = h;
            h = _items[h].Right;
        }

        TryMerge(previous, h);
        _length -= length;
        _version++;
        return EncodeDeleteSet(_deleteScratch);
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
