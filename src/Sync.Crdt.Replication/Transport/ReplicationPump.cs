using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Replication;

/// <summary>
/// Connects a <see cref="DeltaReplicator"/> to a byte transport: encodes the messages it produces and hands each
/// frame to a <see cref="FrameSender"/> per recipient, and decodes incoming frames (spans or
/// <see cref="ReadOnlySequence{T}"/>s), hands them to the replicator and sends the replies back. Sans-I/O: it opens
/// no sockets, starts no threads and reads no clock; the transport calls <see cref="Receive(ReadOnlySequence{byte}, ReplicaId)"/>
/// when bytes arrive and <see cref="SyncRound"/> on its timer.
/// </summary>
/// <remarks>
/// <para><b>Using it.</b> Create one pump per replicator, with the transport's send function. Call
/// <see cref="SyncRound"/> periodically (every peer gets a digest and answers with what this replica lacks),
/// <see cref="Push"/> after local updates or received changes for low latency, <see cref="SyncWith"/> when a
/// connection opens, and <see cref="Receive(ReadOnlySequence{byte}, ReplicaId)"/> for every frame that arrives. Local reads and
/// updates go to <see cref="Replicator"/>.</para>
/// <para><b>Durability.</b> With <see cref="ReplicationPumpOptions.HoldUntilDurable"/>, no frame leaves before the
/// store has committed every event it reflects: the store persists each <see cref="DeltaLogEntry"/> (from
/// <see cref="ReceiveResult.Entry"/> and from local updates), then calls <see cref="MarkDurable"/> with the entry's
/// <see cref="DeltaLogEntry.To"/>. An acknowledgement a peer receives then always means the data is on this
/// replica's disk. See docs/replication.md, "How a store plugs in".</para>
/// <para><b>Errors.</b> A frame that does not decode throws <see cref="CrdtFormatException"/> and a message that
/// contradicts this replica throws <see cref="ReplicationProtocolException"/>; in both cases nothing changed and the
/// transport decides what to do with the peer (drop the frame, close the connection).</para>
/// <para><b>Thread safety.</b> Every member is thread-safe; the sender is called outside any lock, possibly from
/// several threads at once, and frames of concurrent calls may reach it in any order (the protocol tolerates
/// reordering).</para>
/// </remarks>
[Mutable]
public sealed class ReplicationPump
{
    private readonly Lock _gate = new();
    private readonly FrameSender _send;
    private readonly bool _hold;
    private readonly Queue<HeldFrame> _held = new();
    private VersionVector _durable;
    private long _framesSent;
    private long _bytesSent;
    private long _framesReceived;
    private long _bytesReceived;

    /// <summary>Creates a pump.</summary>
    /// <param name="replicator">The replicator to serve.</param>
    /// <param name="serializer">The wire format; every replica must register the same value formats.</param>
    /// <param name="send">The transport's send function.</param>
    /// <param name="options">Settings; <see cref="ReplicationPumpOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="replicator"/>, <paramref name="serializer"/> or <paramref name="send"/> is <see langword="null"/>.</exception>
    /// <remarks>With <see cref="ReplicationPumpOptions.HoldUntilDurable"/>, the replicator's state at this moment counts as durable (it was just restored from the store).</remarks>
    public ReplicationPump(DeltaReplicator replicator, ReplicationSerializer serializer, FrameSender send, ReplicationPumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(replicator);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(send);
        Replicator = replicator;
        Serializer = serializer;
        _send = send;
        _hold = (options ?? ReplicationPumpOptions.Default).HoldUntilDurable;
        _durable = replicator.Vector;
    }

    /// <summary>Gets the replicator this pump serves (for local reads and updates).</summary>
    public DeltaReplicator Replicator { get; }

    /// <summary>Gets the wire format of the frames.</summary>
    public ReplicationSerializer Serializer { get; }

    /// <summary>Gets the events the store has reported durable (see <see cref="MarkDurable"/>).</summary>
    public VersionVector DurableVector
    {
        get
        {
            lock (_gate)
            {
                return _durable;
            }
        }
    }

    /// <summary>Gets the number of frames waiting for <see cref="MarkDurable"/> (always 0 unless <see cref="ReplicationPumpOptions.HoldUntilDurable"/>).</summary>
    public int HeldFrameCount
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Gets the number of frames handed to the sender.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Gets the bytes handed to the sender (each recipient's copy of a shared frame counts).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Gets the number of messages received (decoded, from the expected sender) and handed to the replicator.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>Gets the bytes of the frames counted in <see cref="FramesReceived"/> (0 for messages handed in decoded).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Starts a sync round: this replica's digest to every peer (<see cref="DeltaReplicator.CreateSyncMessages"/>), encoded once.</summary>
    /// <exception cref="ArgumentException">A message cannot be encoded (see <see cref="ReplicationSerializer.SerializeToBytes(ReplicationMessage)"/>).</exception>
    public void SyncRound() => Send(Replicator.CreateSyncMessages());

    /// <summary>Sends this replica's digest to one replica (<see cref="DeltaReplicator.CreateSyncMessage"/>), for example when a connection opens.</summary>
    /// <param name="recipient">The replica to ask.</param>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is the default id or this replica's own id.</exception>
    public void SyncWith(ReplicaId recipient) => Send([Replicator.CreateSyncMessage(recipient)]);

    /// <summary>Sends each peer what it lacks without waiting for its digest (<see cref="DeltaReplicator.CreatePushMessages"/>).</summary>
    /// <exception cref="ArgumentException">A message cannot be encoded.</exception>
    public void Push() => Send(Replicator.CreatePushMessages());

    /// <summary>Encodes messages and hands them to the sender (or holds them; see <see cref="ReplicationPumpOptions.HoldUntilDurable"/>). A message shared by several recipients is encoded once.</summary>
    /// <param name="messages">The messages, e.g. replies a caller kept back.</param>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A message cannot be encoded; nothing of this call was sent.</exception>
    public void Send(IReadOnlyList<OutgoingMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var frames = new Frame[messages.Count];
        ReplicationMessage? previous = null;
        byte[] bytes = [];
        for (int i = 0; i < frames.Length; i++)
        {
            OutgoingMessage message = messages[i];
            if (!ReferenceEquals(message.Message, previous))
            {
                bytes = Serializer.SerializeToBytes(message.Message);
                previous = message.Message;
            }

            frames[i] = new Frame(message.Recipient, bytes);
        }

        if (!_hold)
        {
            Deliver(frames);
            return;
        }

        VersionVector stamp = Replicator.Vector;
        List<Frame>? ready = null;
        lock (_gate)
        {
            if (_held.Count == 0 && _durable.Dominates(stamp))
            {
                ready = [.. frames];
            }
            else
            {
                foreach (Frame frame in frames)
                {
                    _held.Enqueue(new HeldFrame(frame, stamp));
                }
            }
        }

        if (ready is not null)
        {
            Deliver(ready);
        }
    }

    /// <summary>Decodes a frame, hands the message to the replicator and sends the replies to its sender.</summary>
    /// <param name="frame">Exactly one encoded message.</param>
    /// <param name="from">The replica the transport knows the frame came from (the connection's authenticated peer),
    /// or the default id when it does not know: a message whose sender differs is rejected before anything changes.</param>
    /// <returns>What the replicator did, including the <see cref="DeltaLogEntry"/> to persist when the message changed something.</returns>
    /// <exception cref="CrdtFormatException">The frame is not a valid message; nothing changed.</exception>
    /// <exception cref="ReplicationProtocolException">The message is not from <paramref name="from"/>, or contradicts this replica (see <see cref="DeltaReplicator.Receive"/>); nothing changed.</exception>
    /// <exception cref="ArgumentException">A reply cannot be encoded; the message was applied but the reply is lost.</exception>
    public ReceiveResult Receive(ReadOnlySpan<byte> frame, ReplicaId from = default)
    {
        ReplicationMessage message = Serializer.Deserialize(frame);
        return Handle(message, frame.Length, from);
    }

    /// <summary>Decodes a frame that arrived in segments (a pipe or WebSocket buffer), hands it to the replicator and sends the replies.</summary>
    /// <param name="frame">Exactly one encoded message, in any number of segments.</param>
    /// <param name="from">The replica the transport knows the frame came from, or the default id when it does not know.</param>
    /// <returns>What the replicator did, including the <see cref="DeltaLogEntry"/> to persist when the message changed something.</returns>
    /// <exception cref="CrdtFormatException">The frame is not a valid message; nothing changed.</exception>
    /// <exception cref="ReplicationProtocolException">The message is not from <paramref name="from"/>, or contradicts this replica; nothing changed.</exception>
    /// <exception cref="ArgumentException">A reply cannot be encoded; the message was applied but the reply is lost.</exception>
    public ReceiveResult Receive(ReadOnlySequence<byte> frame, ReplicaId from = default)
    {
        ReplicationMessage message = Serializer.Deserialize(frame);
        return Handle(message, frame.Length, from);
    }

    /// <summary>
    /// Hands an already decoded message to the replicator and sends the replies: for a transport that decodes
    /// frames itself, for example to inspect or authorize a message before it is applied.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="from">The replica the transport knows the message came from, or the default id when it does not know.</param>
    /// <returns>What the replicator did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReplicationProtocolException">The message is not from <paramref name="from"/>, or contradicts this replica; nothing changed.</exception>
    /// <exception cref="ArgumentException">A reply cannot be encoded; the message was applied but the reply is lost.</exception>
    public ReceiveResult Receive(ReplicationMessage message, ReplicaId from = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Handle(message, 0, from);
    }

    /// <summary>
    /// Reports that the store has committed every event in <paramref name="durable"/> (normally the
    /// <see cref="DeltaLogEntry.To"/> of the last entry it committed, every earlier entry included), and sends the
    /// held frames that no longer wait for anything, in the order they were produced.
    /// </summary>
    /// <param name="durable">The events now durable.</param>
    /// <exception cref="ArgumentNullException"><paramref name="durable"/> is <see langword="null"/>.</exception>
    public void MarkDurable(VersionVector durable)
    {
        ArgumentNullException.ThrowIfNull(durable);
        List<Frame>? ready = null;
        lock (_gate)
        {
            _durable = _durable.Merge(durable);
            while (_held.Count > 0 && _durable.Dominates(_held.Peek().Stamp))
            {
                (ready ??= []).Add(_held.Dequeue().Frame);
            }
        }

        if (ready is not null)
        {
            Deliver(ready);
        }
    }

    private ReceiveResult Handle(ReplicationMessage message, long length, ReplicaId from)
    {
        if (!from.IsDefault && message.Sender != from)
        {
            throw new ReplicationProtocolException($"A message from '{from}' claims to come from '{message.Sender}'.");
        }

        Interlocked.Increment(ref _framesReceived);
        Interlocked.Add(ref _bytesReceived, length);
        ReceiveResult result = Replicator.Receive(message);
        Send(result.Replies);
        return result;
    }

    private void Deliver(IReadOnlyList<Frame> frames)
    {
        foreach (Frame frame in frames)
        {
            _send(frame.Recipient, frame.Bytes);
            Interlocked.Increment(ref _framesSent);
            Interlocked.Add(ref _bytesSent, frame.Bytes.Length);
        }
    }

    private readonly record struct Frame(ReplicaId Recipient, byte[] Bytes);

    private readonly record struct HeldFrame(Frame Frame, VersionVector Stamp);
}
