using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Protocol.Sessions;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Protocol.Tests.Sessions;

/// <summary>Drives a session directly: one input, its outputs.</summary>
internal static class SessionHarness
{
    public static readonly ReplicaId Server = new("server");
    public static readonly ReplicaId Alice = new("alice");
    public static readonly ReplicaId Bob = new("bob");
    public static readonly ReplicatedKey<GCounter> Views = new("views");
    public static readonly ReplicationSerializer Serializer = new([ReplicatedValueFormat.Create(CrdtCodecs.GCounter)]);

    public static List<DocumentOutput> Handle(this DocumentSession session, DocumentInput input)
    {
        var outputs = new List<DocumentOutput>();
        session.Handle(input, outputs);
        return outputs;
    }

    /// <summary>Ends the batch and, if it asks for a commit, reports it done: what a healthy adapter releases.</summary>
    public static List<DocumentOutput> Settle(this DocumentSession session)
    {
        List<DocumentOutput> outputs = session.Handle(DocumentInput.EndBatch());
        if (outputs.Count > 0 && outputs[^1].Kind == DocumentOutputKind.Commit)
        {
            outputs.AddRange(session.Handle(DocumentInput.CommitDone()));
        }

        return outputs;
    }

    public static IEnumerable<T> FramesTo<T>(this IEnumerable<DocumentOutput> outputs, SessionMember member)
        where T : SyncFrame =>
        outputs.Where(o => o.Kind == DocumentOutputKind.Send && ReferenceEquals(o.Member, member)).Select(o => o.Frame).OfType<T>();

    public static IEnumerable<AckFrame> Acks(this IEnumerable<DocumentOutput> outputs) =>
        outputs.Where(o => o.Kind == DocumentOutputKind.Send).Select(o => o.Frame).OfType<AckFrame>();

    public static DocumentOutput SingleFailure(this IEnumerable<DocumentOutput> outputs) =>
        Assert.Single(outputs, o => o.Kind == DocumentOutputKind.ChannelFailed);

    public static StoredDocument Stored(string name, IReadOnlyList<ReadOnlyMemory<byte>> records) =>
        new(name, records.Count, null, [.. records.Select((r, i) => new LogRecord(i + 1, r))], ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>.Empty);

    public static OpenFrame OpenValues(long channel, ReplicaId replica, VersionVector vector) =>
        new(channel, DocumentKind.Values, "doc", Serializer.SerializeToBytes(new DigestMessage(replica, vector)));

    public static UpdateFrame Update(long channel, long sequence, ReplicationMessage message) =>
        new(channel, sequence, Serializer.SerializeToBytes(message));

    /// <summary>A client replicator peered with the server that counted one view.</summary>
    public static DeltaReplicator ClientWithOneView(ReplicaId replica)
    {
        var client = new DeltaReplicator(replica);
        client.AddPeer(Server, VersionVector.Empty);
        client.Define(Views, GCounter.Empty);
        client.Update(Views, static (c, r, out d) => c.Increment(r, 1, out d));
        return client;
    }
}
