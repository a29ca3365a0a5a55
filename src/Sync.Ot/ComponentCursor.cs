namespace Sync.Ot;

/// <summary>Walks the components of an operation, consuming them partially (used by compose and transform).</summary>
internal struct ComponentCursor
{
    private readonly OperationComponent[] _components;
    private int _index;
    private int _offset;

    public ComponentCursor(OperationComponent[] components)
    {
        _components = components;
        _index = 0;
        _offset = 0;
    }

    public readonly bool HasCurrent => _index < _components.Length;

    public readonly OperationComponentKind Kind => _components[_index].Kind;

    /// <summary>Gets the code points left in the current component.</summary>
    public readonly int Remaining => _components[_index].CodePointLength - _offset;

    /// <summary>Consumes <paramref name="count"/> code points of the current component.</summary>
    public void Skip(int count)
    {
        _offset += count;
        if (_offset == _components[_index].CodePointLength)
        {
            _index++;
            _offset = 0;
        }
    }

    /// <summary>Consumes and returns <paramref name="count"/> code points of the current insert's text.</summary>
    public string TakeText(int count)
    {
        OperationComponent component = _components[_index];
        string text = CodePointText.Slice(component.Text, component.CodePointLength, _offset, count);
        Skip(count);
        return text;
    }
}
