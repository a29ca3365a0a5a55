using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// Short strings take a narrowing fast path when every unit is ASCII; every length around its block boundaries, with a
/// non-ASCII unit at every position, must still encode to exactly the UTF-8 bytes behind a one-byte length.
/// </summary>
public class ShortStringEncodingTests
{
    [Fact]
    public void ShortStrings_EveryLengthAndNonAsciiPosition_EncodeAsUtf8()
    {
        for (int length = 0; length <= 20; length++)
        {
            for (int special = -1; special < length; special++)
            {
                foreach (char odd in new[] { 'é', '\u20AC', '\u007F' })
                {
                    var chars = new char[length];
                    for (int i = 0; i < length; i++)
                    {
                        chars[i] = i == special ? odd : (char)('a' + (i % 26));
                    }

                    string value = new(chars);
                    byte[] message = CrdtSerializer.SerializeToBytes(value);
                    byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(value);
                    Assert.Equal(utf8.Length, message[^(utf8.Length + 1)]);
                    Assert.Equal(utf8, message.AsSpan(message.Length - utf8.Length).ToArray());
                    Assert.Equal(value, CrdtSerializer.Deserialize<string>(message));
                }
            }
        }
    }

    [Fact]
    public void MapOfShortStrings_RoundTripsWithNonAsciiKeysAndReplicas()
    {
        LWWMap<string, string> map = LWWMap<string, string>.Empty
            .Put(new LWWTimestamp(1, "réplica-ü"), "clé-0000001", "valeur-é")
            .Put(new LWWTimestamp(2, "replica-a"), "key-0000002", "value-000002")
            .Put(new LWWTimestamp(3, "r"), "k", "v");
        byte[] message = CrdtSerializer.SerializeToBytes(map);
        Assert.Equal(map, CrdtSerializer.Deserialize<LWWMap<string, string>>(message));
        Assert.True(message.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes("réplica-ü")) > 0);
        Assert.True(message.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes("valeur-é")) > 0);
    }
}
