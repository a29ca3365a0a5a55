using System;

namespace Sync.Crdt.TestSupport;

/// <summary>A property failed; the message names the seed that replays it.</summary>
public sealed class PropertyReplayException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PropertyReplayException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PropertyReplayException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PropertyReplayException(string message)
        : base(message)
    {
    }
}
