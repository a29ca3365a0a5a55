using System;
using System.Buffers;

namespace Sync.Ot;

/// <summary>
/// The normalizing component list behind <see cref="TextOperationBuilder"/> and the algebra's hot paths: merges
/// adjacent components of one kind, drops empty ones and keeps inserts before deletes. When pooled, its scratch array
/// comes from <see cref="ArrayPool{T}.Shared"/> and the only allocations are the result's exact-size array and the
/// operation itself; call <see cref="Release"/> when done. A mutable struct: keep it in a local or a field and pass it by
/// reference.
/// </summary>
internal struct ComponentSequence
{
    private readonly bool _pooled;
    private OperationComponent[] _items;
    private int _count;

    public ComponentSequence(int capacity, bool pooled)
    {
        _pooled = pooled;
        capacity = Math.Max(capacity, 4);
        _items = pooled ? ArrayPool<OperationComponent>.Shared.Rent(capacity) : new OperationComponent[capacity];
        _count = 0;
        BaseCodePointLength = 0;
        TargetCodePointLength = 0;
    }

    public int BaseCodePointLength { get; private set; }

    public int TargetCodePointLength { get; private set; }

    public readonly TextOperation ToOperation() =>
        new(_count == 0 ? [] : _items.AsSpan(0, _count).ToArray(), BaseCodePointLength, TargetCodePointLength);

    public void Clear()
    {
        Array.Clear(_items, 0, _count);
        _count = 0;
        BaseCodePointLength = 0;
        TargetCodePointLength = 0;
    }

    public void Release()
    {
        if (_pooled && _items.Length > 0)
        {
            Array.Clear(_items, 0, _count);
            ArrayPool<OperationComponent>.Shared.Return(_items);
            _items = [];
            _count = 0;
        }
    }

    public void AddRetain(int count)
    {
        if (count == 0)
        {
            return;
        }

        int baseLength = checked(BaseCodePointLength + count);
        int targetLength = checked(TargetCodePointLength + count);
        int last = _count - 1;
        if (last >= 0 && _items[last].IsRetain)
        {
            _items[last] = OperationComponent.Retain(checked(_items[last].CodePointLength + count));
        }
        else
        {
            Append(OperationComponent.Retain(count));
        }

        BaseCodePointLength = baseLength;
        TargetCodePointLength = targetLength;
    }

    public void AddInsert(string text, int length)
    {
        if (length == 0)
        {
            return;
        }

        int targetLength = checked(TargetCodePointLength + length);
        int last = _count - 1;
        if (last >= 0 && _items[last].IsInsert)
        {
            _items[last] = Merge(_items[last], text, length);
        }
        else if (last >= 0 && _items[last].IsDelete)
        {
            // Normal form puts an insert before an adjacent delete.
            if (last >= 1 && _items[last - 1].IsInsert)
            {
                _items[last - 1] = Merge(_items[last - 1], text, length);
            }
            else
            {
                OperationComponent delete = _items[last];
                _items[last] = OperationComponent.TrustedInsert(text, length);
                Append(delete);
            }
        }
        else
        {
            Append(OperationComponent.TrustedInsert(text, length));
        }

        TargetCodePointLength = targetLength;
    }

    public void AddDelete(int count)
    {
        if (count == 0)
        {
            return;
        }

        int baseLength = checked(BaseCodePointLength + count);
        int last = _count - 1;
        if (last >= 0 && _items[last].IsDelete)
        {
            _items[last] = OperationComponent.Delete(checked(_items[last].CodePointLength + count));
        }
        else
        {
            Append(OperationComponent.Delete(count));
        }

        BaseCodePointLength = baseLength;
    }

    private static OperationComponent Merge(OperationComponent insert, string text, int length) =>
        OperationComponent.TrustedInsert(string.Concat(insert.Text, text), checked(insert.CodePointLength + length));

    private void Append(OperationComponent component)
    {
        if (_count == _items.Length)
        {
            int capacity = checked(_items.Length * 2);
            OperationComponent[] larger = _pooled ? ArrayPool<OperationComponent>.Shared.Rent(capacity) : new OperationComponent[capacity];
            Array.Copy(_items, larger, _count);
            if (_pooled)
            {
                Array.Clear(_items, 0, _count);
                ArrayPool<OperationComponent>.Shared.Return(_items);
            }

            _items = larger;
        }

        _items[_count++] = component;
    }
}
