using System;
using System.Globalization;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>How the two merged replicas came to be.</summary>
public enum ReplicaShape
{
    /// <summary>Both replicas edited one in-process ancestor, so they share most of their tree nodes.</summary>
    SharedAncestry,

    /// <summary>Each replica was built separately (fresh strings, nodes and dots), as after decoding: no sharing to exploit.</summary>
    Independent,
}

/// <summary>Builds two replicas of n entries that diverge by 1% (half adds/puts, half removes, on each side).</summary>
internal static class SetMapWorkload
{
    public static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"item-{i:D7}");

    /// <summary>A fresh copy of a string, so the replicas share no key instances.</summary>
    public static string Fresh(string s) => new(s.AsSpan());

    public static (ORSet<string> Left, ORSet<string> Right) Sets(int n, ReplicaShape shape)
    {
        ORSet<string> baseLeft = BuildSet(n, fresh: false);
        ORSet<string> baseRight = shape == ReplicaShape.SharedAncestry ? baseLeft : BuildSet(n, fresh: true);
        int d = Math.Max(1, n / 100);
        ORSet<string> left = baseLeft;
        ORSet<string> right = baseRight;
        ReplicaId b = "b";
        ReplicaId c = "c";
        for (int i = 0; i < d; i++)
        {
            if (i % 2 == 0)
            {
                left = left.Add(b, Key(n + i));
                right = right.Add(c, Fresh(Key(n + d + i)));
            }
            else
            {
                left = left.Remove(Key((int)((long)i * n / d)));
                right = right.Remove(Key((int)(((long)i * n / d) + 1) % n));
            }
        }

        return (left, right);
    }

    public static (LWWMap<string, string> Left, LWWMap<string, string> Right) Maps(int n, ReplicaShape shape)
    {
        LWWMap<string, string> baseLeft = BuildMap(n, fresh: false);
        LWWMap<string, string> baseRight = shape == ReplicaShape.SharedAncestry ? baseLeft : BuildMap(n, fresh: true);
        int d = Math.Max(1, n / 100);
        LWWMap<string, string> left = baseLeft;
        LWWMap<string, string> right = baseRight;
        ReplicaId b = "b";
        ReplicaId c = "c";
        for (int i = 0; i < d; i++)
        {
            var tb = new LWWTimestamp(2 + i, b);
            var tc = new LWWTimestamp(2 + i, c);
            if (i % 2 == 0)
            {
                left = left.Put(tb, Key((int)((long)i * n / d)), "left");
                right = right.Put(tc, Fresh(Key(n + i)), "right");
            }
            else
            {
                left = left.Remove(tb, Key((int)((long)i * n / d)));
                right = right.Remove(tc, Fresh(Key((int)(((long)i * n / d) + 1) % n)));
            }
        }

        return (left, right);
    }

    public static ORSet<string> BuildSet(int n, bool fresh)
    {
        ReplicaId a = fresh ? new ReplicaId(Fresh("a")) : "a";
        ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();
        for (int i = 0; i < n; i++)
        {
            builder.Add(a, Key(i));
        }

        return builder.ToImmutable();
    }

    public static LWWMap<string, string> BuildMap(int n, bool fresh)
    {
        ReplicaId a = fresh ? new ReplicaId(Fresh("a")) : "a";
        var t = new LWWTimestamp(1, a);
        LWWMap<string, string>.Builder builder = LWWMap<string, string>.Empty.ToBuilder();
        for (int i = 0; i < n; i++)
        {
            builder.Put(t, Key(i), fresh ? Fresh("value") : "value");
        }

        return builder.ToImmutable();
    }
}
