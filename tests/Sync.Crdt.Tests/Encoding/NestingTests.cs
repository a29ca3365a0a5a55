using System;
using System.Collections.Generic;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>A self-recursive application codec must not let hostile input exhaust the stack.</summary>
public class NestingTests
{
    [Fact]
    public void RecursiveCodec_HostileDepth_ThrowsFormatExceptionNotStackOverflow()
    {
        var codec = new ChainCodec();

        // header, signature [1025], empty table, then 100,000 "one more link" flags: far deeper than MaxDepth.
        var message = new List<byte> { 0x53, 0x43, 0x01, 0x02, 0x81, 0x08, 0x00 };
        for (int i = 0; i < 100_000; i++)
        {
            message.Add(1);
        }

        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize(message.ToArray(), codec));
        Assert.Contains("MaxDepth (32)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(7 + 32, ex.Offset);
    }

    [Fact]
    public void RecursiveCodec_WithinDepth_RoundTrips()
    {
        var codec = new ChainCodec();
        var chain = new Chain(new Chain(new Chain(null)));
        byte[] bytes = CrdtSerializer.SerializeToBytes(chain, codec);
        Assert.Equal(3, Length(CrdtSerializer.Deserialize(bytes, codec)));
        Chain deep = new(null);
        for (int i = 0; i < 40; i++)
        {
            deep = new Chain(deep);
        }

        Assert.Throws<InvalidOperationException>(() => CrdtSerializer.SerializeToBytes(deep, codec));
    }

    private static int Length(Chain? chain) => chain is null ? 0 : 1 + Length(chain.Next);

    /// <summary>A linked list, encoded recursively.</summary>
    public sealed class Chain(Chain? next)
    {
        public Chain? Next { get; } = next;
    }

    private sealed class ChainCodec : ICrdtValueCodec<Chain>
    {
        public int TypeTag => CrdtTypeTags.FirstApplicationTag + 1;

        public IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, Chain value)
        {
            writer.WriteBoolean(value.Next is not null);
            if (value.Next is not null)
            {
                writer.Write(value.Next, this);
            }
        }

        public Chain Decode(ref CrdtReader reader) => new(reader.ReadBoolean() ? reader.Read(this) : null);
    }
}
