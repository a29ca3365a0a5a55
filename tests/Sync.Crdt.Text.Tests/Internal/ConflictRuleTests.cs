using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Tests.Internal;

/// <summary>
/// Conflict-resolution cases the random tests rarely reach, worked out by hand from the YATA rules in docs/text.md and
/// checked on every replica (the expected text does not come from the code under test).
/// </summary>
public class ConflictRuleTests
{
    [Fact]
    public void OriginOnTheReceiversOwnReplica_DifferentClock_IsNotASameOriginConflict()
    {
        // The receiver R is client 0 of its own document, so this pins that the same-origin rule compares clocks for
        // client 0 too (the rule must not depend on the number of a client).
        var r = new TextDocument(new ReplicaId("a-r"));
        var b = new TextDocument(new ReplicaId("b-b"));
        var a = new TextDocument(new ReplicaId("c-a"));
        TextUpdate ab = r.Insert(0, "ab");
        a.ApplyUpdate(ab);
        b.ApplyUpdate(ab);
        TextUpdate c = r.Insert(1, "c");          // R:2 between a and b
        a.ApplyUpdate(c);
        TextUpdate d = a.Insert(2, "d");          // after c: origin-left R:2
        TextUpdate z = b.Insert(1, "Z");          // concurrently between a and b: origin-left R:0

        r.ApplyUpdate(d);
        r.ApplyUpdate(z);
        b.ApplyUpdate(c);
        b.ApplyUpdate(d);
        a.ApplyUpdate(z);

        // At R, Z scans c (same origins, "a-r" < "b-b": Z goes after c) and d (its origin c was scanned and decided on:
        // Z goes after d too), so "acdZb".
        Assert.Equal("acdZb", r.ToString());
        Assert.Equal("acdZb", b.ToString());
        Assert.Equal("acdZb", a.ToString());
    }

    [Fact]
    public void ScannedItemWhoseOriginLiesLeftOfTheRegion_EndsTheScan()
    {
        var author = new TextDocument(new ReplicaId("base"));
        var p = new TextDocument(new ReplicaId("p"));
        var q = new TextDocument(new ReplicaId("q"));
        var w = new TextDocument(new ReplicaId("w"));
        TextUpdate xb = author.Insert(0, "xb");
        foreach (TextDocument d in new[] { p, q, w })
        {
            d.ApplyUpdate(xb);
        }

        TextUpdate a = p.Insert(1, "a");           // after x
        TextUpdate o = q.Insert(1, "o");           // concurrently after x; "p" < "q", so a comes first
        w.ApplyUpdate(a);
        TextUpdate z = w.Insert(2, "Z");           // after a, without knowing o

        p.ApplyUpdate(o);
        p.ApplyUpdate(z);
        q.ApplyUpdate(z);
        q.ApplyUpdate(a);
        w.ApplyUpdate(o);

        // At p ("xaob"), Z scans o, whose origin x lies left of Z's origin a: the scan ends and Z stays right after a.
        Assert.Equal("xaZob", p.ToString());
        Assert.Equal("xaZob", q.ToString());
        Assert.Equal("xaZob", w.ToString());
    }

    [Fact]
    public void SameOrigins_HigherIdFirstInDocument_LowerIdGoesBeforeIt_AndTheScanStops()
    {
        var base0 = new TextDocument(new ReplicaId("base"));
        var hi = new TextDocument(new ReplicaId("z"));
        var lo = new TextDocument(new ReplicaId("m"));
        var mid = new TextDocument(new ReplicaId("t"));
        TextUpdate ab = base0.Insert(0, "ab");
        foreach (TextDocument d in new[] { hi, lo, mid })
        {
            d.ApplyUpdate(ab);
        }

        TextUpdate z = hi.Insert(1, "Z");
        TextUpdate z2 = hi.Insert(2, "Y");         // typed after Z by the same replica
        TextUpdate m = lo.Insert(1, "M");
        TextUpdate t = mid.Insert(1, "T");

        foreach (TextDocument d in new[] { hi, lo, mid, base0 })
        {
            foreach (TextUpdate u in new[] { z, z2, m, t })
            {
                d.ApplyUpdate(u);
            }
        }

        // Same origins (a, b): ordered by id m < t < z; Z's run "ZY" stays together.
        Assert.Equal("aMTZYb", hi.ToString());
        Assert.Equal("aMTZYb", lo.ToString());
        Assert.Equal("aMTZYb", mid.ToString());
        Assert.Equal("aMTZYb", base0.ToString());
    }

    [Fact]
    public void RightOriginInsideAnItem_SplitsItThere_AndTheScanRunsUpToIt()
    {
        // "abcd" is one item of replica "a". A hand-made item of replica "b" names origin-left a:0 ("a") and origin-right
        // a:2 ("c"), which lies inside the item "bcd": the item is split before "c", and the new item scans "b" (same
        // origin-left, "a" < "b": it goes after it), so "abXcd". Without the split the scan would stop at once: "aXbcd".
        var doc = new TextDocument(new ReplicaId("a"));
        doc.Insert(0, "abcd");

        // Table ["b", "a"]; one block: replica 0 at clock 0, one item, info 0x2B = length 1, origin-left kind 3 (replica 1,
        // clock 0), origin-right kind 2 (replica 1, clock 2); empty delete set; content "X".
        doc.ApplyUpdate(new byte[] { 1, 2, 1, (byte)'b', 1, (byte)'a', 1, 0, 0, 1, 0x2B, 1, 0, 1, 2, 0, 1, (byte)'X' });

        Assert.Equal("abXcd", doc.ToString());
    }
}
