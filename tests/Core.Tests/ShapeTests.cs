using OpenAutoGlm.Core;

namespace OpenAutoGlm.Core.Tests;

public sealed class ShapeTests
{
    [Fact]
    public void SymbolicDimsPrintByName()
    {
        var s = new Shape(Dim.Symbolic("batch"), 3, Dim.Unknown);
        Assert.Equal("[batch,3,?]", s.ToString());
        Assert.False(s.IsFullyKnown);
        Assert.Null(s.ElementCount);
    }

    [Fact]
    public void BroadcastKnownDims()
    {
        var r = ShapeRules.Broadcast(new Shape(2, 1, 4), new Shape(3, 1));
        Assert.Equal(new Shape(2, 3, 4), r);
    }

    [Fact]
    public void BroadcastKeepsSymbols()
    {
        var r = ShapeRules.Broadcast(new Shape(Dim.Symbolic("N"), 1), new Shape(1, 8));
        Assert.Equal("[N,8]", r.ToString());
    }

    [Fact]
    public void IncompatibleBroadcastNamesBothShapes()
    {
        var ex = Assert.Throws<ShapeInferenceException>(() => ShapeRules.Broadcast(new Shape(2, 3), new Shape(4)));
        Assert.Contains("[2,3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void ConcreteBroadcast()
    {
        Assert.Equal(new[] { 5, 4, 3 }, ShapeRules.Broadcast([5, 1, 3], [4, 1]));
        Assert.Throws<ShapeInferenceException>(() => ShapeRules.Broadcast([2], [3]));
    }

    [Fact]
    public void DataTypeNamesRoundTrip()
    {
        foreach (var t in Enum.GetValues<DataType>().Where(t => t.ClrType() is not null))
        {
            Assert.True(DataTypes.TryParse(t.Name(), out var parsed));
            Assert.Equal(t, parsed);
            Assert.Equal(t, DataTypes.FromClr(t.ClrType()!));
        }
    }
}
