using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("Einsum")]
public sealed class EinsumTests
{
    public static IEnumerable<object[]> Equations() =>
    [
        ["ij,jk->ik", new[] { new[] { 3, 4 }, new[] { 4, 5 } }],
        ["ij,jk", new[] { new[] { 3, 4 }, new[] { 4, 5 } }],
        ["ij->ji", new[] { new[] { 3, 4 } }],
        ["ba", new[] { new[] { 3, 4 } }],
        ["ii", new[] { new[] { 4, 4 } }],
        ["ii->i", new[] { new[] { 4, 4 } }],
        ["bii->bi", new[] { new[] { 2, 3, 3 } }],
        ["iji->j", new[] { new[] { 3, 2, 3 } }],
        ["ij->", new[] { new[] { 3, 4 } }],
        ["ijk->ki", new[] { new[] { 2, 3, 4 } }],
        ["i,i", new[] { new[] { 7 }, new[] { 7 } }],
        ["i,j->ij", new[] { new[] { 3 }, new[] { 4 } }],
        ["bij,bjk->bik", new[] { new[] { 2, 3, 4 }, new[] { 2, 4, 5 } }],
        ["bij,bkj->bki", new[] { new[] { 2, 3, 4 }, new[] { 2, 5, 4 } }],
        ["ijk,jl->il", new[] { new[] { 2, 3, 4 }, new[] { 3, 5 } }],
        ["...ij,...jk->...ik", new[] { new[] { 2, 1, 3, 4 }, new[] { 5, 4, 2 } }],
        ["...ij,...jk", new[] { new[] { 2, 3, 4 }, new[] { 4, 2 } }],
        ["i...,i...->...", new[] { new[] { 3, 2, 2 }, new[] { 3, 1, 2 } }],
        ["...ii->...i", new[] { new[] { 2, 3, 3 } }],
        ["ij,jk,kl->il", new[] { new[] { 2, 3 }, new[] { 3, 4 }, new[] { 4, 5 } }],
        ["i,i,i->", new[] { new[] { 6 }, new[] { 6 }, new[] { 6 } }],
        ["ab,bc,ca->", new[] { new[] { 2, 3 }, new[] { 3, 4 }, new[] { 4, 2 } }],
        ["bi,bj,bk->bijk", new[] { new[] { 2, 3 }, new[] { 2, 2 }, new[] { 2, 4 } }],
        ["ab,cd,bc->ad", new[] { new[] { 2, 3 }, new[] { 4, 5 }, new[] { 3, 4 } }],
        [",ij->ij", new[] { Array.Empty<int>(), new[] { 2, 3 } }],
        ["Ab,bC->CA", new[] { new[] { 2, 3 }, new[] { 3, 4 } }],
        [" i j , j k -> i k ", new[] { new[] { 2, 3 }, new[] { 3, 2 } }],
        ["ij,jk->ik", new[] { new[] { 2, 0 }, new[] { 0, 3 } }],
        ["bij,bjk->bik", new[] { new[] { 3, 40, 50 }, new[] { 3, 50, 30 } }],
        ["bhqd,bhkd->bhqk", new[] { new[] { 2, 3, 5, 8 }, new[] { 2, 3, 6, 8 } }],
    ];

    [Theory]
    [MemberData(nameof(Equations))]
    public void MatchesTheNaiveSum(string equation, int[][] shapes)
    {
        var inputs = shapes.Select((s, i) => (Tensor)Floats(i + 1, s)).ToArray();
        var tester = new OpTester("Einsum", 12).Attr("equation", equation);
        foreach (var t in inputs)
        {
            tester.Input(t);
        }

        TensorAssert.Close(Reference(equation, inputs), tester.RunSingle(), 1e-4, 1e-5);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    [InlineData(DataType.Int32)]
    [InlineData(DataType.Int64)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int8)]
    [InlineData(DataType.UInt64)]
    public void OtherTypes(DataType type)
    {
        foreach (var (equation, shapes) in new[] { ("bij,bjk->bik", new[] { new[] { 2, 2, 3 }, new[] { 2, 3, 2 } }), ("ii->i", new[] { new[] { 3, 3 } }), ("ij,j,jk", new[] { new[] { 2, 3 }, new[] { 3 }, new[] { 3, 2 } }) })
        {
            var inputs = shapes.Select((s, i) => Random(type, i + 7, s, lo: 0, hi: 4)).ToArray();
            var tester = new OpTester("Einsum", 12).Attr("equation", equation);
            foreach (var t in inputs)
            {
                tester.Input(t);
            }

            double tol = type == DataType.BFloat16 ? 3e-2 : type == DataType.Float16 ? 5e-3 : 1e-12;
            TensorAssert.Close(Reference(equation, inputs), tester.RunSingle(), tol, tol);
        }
    }

    [Theory]
    [InlineData("ij,jk->i.k", "malformed ellipsis")]
    [InlineData("ij,jk->ik-", "is not a letter")]
    [InlineData("ij,jk->kk", "appears twice")]
    [InlineData("ij,jk->iz", "'z'")]
    [InlineData("ij->ik", "1 operand terms but there are 2 inputs")]
    [InlineData("ijk,jk->ik", "input 0 has rank 2")]
    public void MalformedEquationsAreRejected(string equation, string fragment) =>
        Rejects(() => new OpTester("Einsum", 12).Attr("equation", equation).Input(Floats(1, [2, 3])).Input(Floats(2, [3, 4])).Run(), fragment);

    [Fact]
    public void EllipsisMissingFromTheExplicitOutputIsRejected() =>
        Rejects(() => new OpTester("Einsum", 12).Attr("equation", "...ij,jk->ik").Input(Floats(1, [5, 2, 3])).Input(Floats(2, [3, 4])).Run(), "'...' in the inputs but not in the explicit output");

    [Fact]
    public void MismatchedLabelSizesAreRejected() =>
        Rejects(() => new OpTester("Einsum", 12).Attr("equation", "ij,jk->ik").Input(Floats(1, [2, 3])).Input(Floats(2, [4, 5])).Run(), "label 'j' has size 3", "4");

    [Fact]
    public void MixedTypesAreRejected() =>
        Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Einsum", 12).Attr("equation", "i,i").Input(Floats(1, [2])).Input(Doubles(2, [2])).Run());

    /// <summary>
    /// Sums the product of the operands over every assignment of every label (naive, product of all label sizes). Written
    /// from the spec: "..." stands for the leading broadcast dims (right-aligned, size 1 broadcasts), the implicit output
    /// is the ellipsis dims then the letters used exactly once, sorted.
    /// </summary>
    private static Tensor Reference(string equation, Tensor[] inputs)
    {
        string eq = equation.Replace(" ", string.Empty);
        string[] sides = eq.Split("->");
        string[] terms = sides[0].Split(',');
        int ellipsis = terms.Select((t, i) => t.Contains("...") ? inputs[i].Rank - (t.Length - 3) : 0).Max();

        // Ellipsis dims become the labels '0', '1', ... (right-aligned per operand).
        string Expand(string term, int rank) => term.Contains("...")
            ? term.Replace("...", new string(Enumerable.Range(ellipsis - (rank - (term.Length - 3)), rank - (term.Length - 3)).Select(j => (char)('0' + j)).ToArray()))
            : term;
        string[] labels = terms.Select((t, i) => Expand(t, inputs[i].Rank)).ToArray();
        string allEllipsis = new(Enumerable.Range(0, ellipsis).Select(j => (char)('0' + j)).ToArray());
        string output = sides.Length > 1
            ? sides[1].Replace("...", allEllipsis)
            : allEllipsis + new string(string.Concat(terms).Where(char.IsLetter).GroupBy(c => c).Where(g => g.Count() == 1).Select(g => g.Key).OrderBy(c => c).ToArray());
        var size = new Dictionary<char, int>();
        for (int t = 0; t < labels.Length; t++)
        {
            for (int a = 0; a < labels[t].Length; a++)
            {
                size[labels[t][a]] = Math.Max(size.GetValueOrDefault(labels[t][a]), inputs[t].Dims[a]);
            }
        }

        char[] all = [.. size.Keys];
        int[] allDims = all.Select(c => size[c]).ToArray();
        int[] outDims = output.Select(c => size[c]).ToArray();
        var values = inputs.Select(t => t.ToDoubleArray()).ToArray();
        var y = new double[Product(outDims)];
        for (int i = 0; i < Product(allDims); i++)
        {
            int[] c = Unravel(i, allDims);
            int Coord(char l, int dim) => dim == 1 ? 0 : c[Array.IndexOf(all, l)];
            double p = 1;
            for (int t = 0; t < inputs.Length; t++)
            {
                p *= values[t][Linear(inputs[t].Dims, labels[t].Select((l, a) => Coord(l, inputs[t].Dims[a])).ToArray())];
            }

            y[Linear(outDims, output.Select(l => c[Array.IndexOf(all, l)]).ToArray())] += p;
        }

        return FromDoubles(inputs[0].DataType, y, outDims);
    }
}
