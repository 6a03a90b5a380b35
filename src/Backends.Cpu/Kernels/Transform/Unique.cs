using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Unique: the distinct elements (or slices along axis) of x, ascending when sorted=1 and in order of first
/// occurrence otherwise, with first-occurrence indices, inverse indices and counts
/// (https://onnx.ai/onnx/operators/onnx__Unique.html).
/// </summary>
internal sealed class Unique : IKernel
{
    private readonly long? _axis;
    private readonly bool _sorted;

    public Unique(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.Contains("axis") ? ctx.Attributes.GetInt("axis") : null;
        _sorted = ctx.Attributes.GetInt("sorted", 1) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int axis = _axis is long a ? TransformShapes.NormalizeAxis(a, x.Rank, ctx.Error) : -1;

        // x viewed as [outer, n, inner]: item j is the slice x[:, j, :] (a single element without axis).
        int outer = axis < 0 ? 1 : Elements.Product(x.Dims, 0, axis);
        int n = axis < 0 ? x.Length : x.Dims[axis];
        int inner = axis < 0 ? 1 : Elements.Product(x.Dims, axis + 1, x.Rank);
        var job = new Job(x, outer, n, inner, _sorted);
        Elements.DispatchTyped(x.DataType, ref job);
        int[] first = job.First;
        int u = first.Length;

        int[] dims = axis < 0 ? [u] : x.DimsArray();
        if (axis >= 0)
        {
            dims[axis] = u;
        }

        var y = ctx.Output(0, x.DataType, dims);
        var offsets = new int[outer * u];
        for (int o = 0, p = 0; o < outer; o++)
        {
            for (int k = 0; k < u; k++)
            {
                offsets[p++] = ((o * n) + first[k]) * inner;
            }
        }

        Elements.GatherBlocks(x, offsets, inner, y);
        WriteInt64(ctx, 1, first);
        WriteInt64(ctx, 2, job.Inverse);
        WriteInt64(ctx, 3, job.Counts);
    }

    private static void WriteInt64(KernelContext ctx, int output, int[] values)
    {
        if (output < ctx.OutputCount && ctx.IsOutputRequested(output))
        {
            var span = ctx.Output<long>(output, [values.Length]).Span;
            for (int i = 0; i < values.Length; i++)
            {
                span[i] = values[i];
            }
        }
    }

    private struct Job(Tensor x, int outer, int n, int inner, bool sorted) : IElementAction
    {
        /// <summary>First occurrence (item index) of each unique item, in output order.</summary>
        public int[] First { get; private set; } = [];

        /// <summary>For each item, the output position of its unique value.</summary>
        public int[] Inverse { get; private set; } = [];

        public int[] Counts { get; private set; } = [];

        public void Invoke<T>()
        {
            var data = Elements.Of<T>(x).ToArray();
            int outerCount = outer, n0 = n, innerCount = inner;
            int CompareItems(int a, int b)
            {
                for (int o = 0; o < outerCount; o++)
                {
                    for (int i = 0; i < innerCount; i++)
                    {
                        int c = ValueOrder.Compare(data[(((o * n0) + a) * innerCount) + i], data[(((o * n0) + b) * innerCount) + i]);
                        if (c != 0)
                        {
                            return c;
                        }
                    }
                }

                return 0;
            }

            // Sort item indices by value; the index tie-break makes each group start at its first occurrence.
            var order = new int[n];
            for (int j = 0; j < n; j++)
            {
                order[j] = j;
            }

            Array.Sort(order, (a, b) =>
            {
                int c = CompareItems(a, b);
                return c != 0 ? c : a.CompareTo(b);
            });

            var groupOf = new int[n];
            var firsts = new List<int>();
            var counts = new List<int>();
            for (int j = 0; j < n; j++)
            {
                if (j == 0 || CompareItems(order[j - 1], order[j]) != 0)
                {
                    firsts.Add(order[j]);
                    counts.Add(0);
                }

                groupOf[order[j]] = firsts.Count - 1;
                counts[^1]++;
            }

            // Output position of each group: sorted order, or order of first occurrence.
            int groups = firsts.Count;
            var rank = new int[groups];
            var byPosition = new int[groups];
            for (int g = 0; g < groups; g++)
            {
                byPosition[g] = g;
            }

            if (!sorted)
            {
                Array.Sort(byPosition, (g, h) => firsts[g].CompareTo(firsts[h]));
            }

            for (int p = 0; p < groups; p++)
            {
                rank[byPosition[p]] = p;
            }

            First = byPosition.Select(g => firsts[g]).ToArray();
            Counts = byPosition.Select(g => counts[g]).ToArray();
            Inverse = groupOf.Select(g => rank[g]).ToArray();
        }
    }
}
