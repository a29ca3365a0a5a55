using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text.Tests.Internal;

public class DeleteSetTests
{
    [Fact]
    public void Add_ContinuingTheLastRange_ExtendsIt()
    {
        var set = new DeleteSet();
        set.Add(1, 5, 2);
        set.Add(1, 7, 3);
        set.Add(2, 10, 1);
        set.Add(1, 11, 1);

        Assert.Equal(3, set.Count);
        Assert.Equal((1, 5, 5), (set.Ranges[0].Client, set.Ranges[0].Clock, set.Ranges[0].Length));
        Assert.Equal((2, 10, 1), (set.Ranges[1].Client, set.Ranges[1].Clock, set.Ranges[1].Length));
        Assert.Equal(12, set.Ranges[2].End);
    }

    [Fact]
    public void Normalize_SortsByClientAndClockAndMergesTouchingAndOverlapping()
    {
        var set = new DeleteSet();
        set.Add(2, 0, 1);
        set.Add(1, 10, 5);   // [10, 15)
        set.Add(1, 0, 3);    // [0, 3)
        set.Add(1, 12, 10);  // overlaps: [10, 22)
        set.Add(1, 3, 1);    // touches [0, 3): [0, 4)
        set.Add(1, 5, 1);    // gap of one clock after 4: stays apart
        set.Add(0, 7, 2);

        DeleteRange[] ranges = set.Normalize().ToArray();

        Assert.Equal(
            new[] { (0, 7, 2), (1, 0, 4), (1, 5, 1), (1, 10, 12), (2, 0, 1) },
            System.Array.ConvertAll(ranges, r => (r.Client, r.Clock, r.Length)));
        Assert.Equal(5, set.Count);
    }

    [Fact]
    public void Normalize_ContainedRange_KeepsTheOuterEnd()
    {
        var set = new DeleteSet();
        set.Add(0, 0, 10);
        set.Add(1, 0, 1);
        set.Add(0, 2, 3);

        DeleteRange[] ranges = set.Normalize().ToArray();

        Assert.Equal(2, ranges.Length);
        Assert.Equal(10, ranges[0].Length);
    }

    [Fact]
    public void Normalize_EmptyOrSingle_ReturnsAsIs()
    {
        var set = new DeleteSet();
        Assert.True(set.Normalize().IsEmpty);
        set.Add(3, 4, 5);
        Assert.Equal(1, set.Normalize().Length);
        set.Clear();
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void Add_BeyondInitialCapacity_Grows()
    {
        var set = new DeleteSet();
        for (int i = 0; i < 100; i++)
        {
            set.Add(0, i * 2, 1);
        }

        Assert.Equal(100, set.Count);
        Assert.Equal(198, set.Ranges[99].Clock);
    }
}
