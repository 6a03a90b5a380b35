using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// TopK: the k largest (or smallest) values along axis and their int64 indices, best first; equal values
/// keep ascending index order; NaN ranks above every number. k is an attribute before opset 10
/// (https://onnx.ai/onnx/operators/onnx__TopK.html).
/// </summary>
internal sealed class TopK : IKernel
{
    private readonly long _axis;
    private readonly bool _largest;
    private readonly long? _kAttribute;

    public TopK(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", -1);
        _largest = ctx.Opset < 11 || ctx.Attributes.GetInt("largest", 1) != 0;
        _kAttribute = ctx.Opset < 10 ? ctx.Attributes.GetInt("k") : null;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (!x.DataType.IsNumeric())
        {
            throw ctx.Error($"input must be numeric, got {x.DataType.Name()}");
        }

        int axis = TransformShapes.NormalizeAxis(_axis, x.Rank, ctx.Error);
        long k = _kAttribute ?? TopKSchema.K(ctx.Input(1), ctx.Error);
        int n = x.Dims[axis];
        if (k > n)
        {
            throw ctx.Error($"k = {k} is larger than dimension {axis} ({n}) of input {x.ShapeString}");
        }

        int[] dims = x.DimsArray();
        dims[axis] = (int)k;
        var values = ctx.Output(0, x.DataType, dims);
        var indices = ctx.Output<long>(1, dims);
        var job = new Job(x, values, indices, Elements.Product(x.Dims, 0, axis), n, Elements.Product(x.Dims, axis + 1, x.Rank), (int)k, _largest);
        Elements.DispatchTyped(x.DataType, ref job);
    }

    private readonly struct Job(Tensor x, Tensor values, Tensor<long> indices, int outer, int n, int inner, int k, bool largest) : IElementAction
    {
        public void Invoke<T>()
        {
            if (k == 0)
            {
                return;
            }

            var src = Elements.Of<T>(x);
            var dst = Elements.Of<T>(values);
            var idx = indices.Span;
            var lane = new T[n];
            var heap = new int[k];
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        lane[j] = src[(((o * n) + j) * inner) + i];
                    }

                    int count = Select(lane, heap);
                    for (int r = 0; r < count; r++)
                    {
                        int at = (((o * k) + r) * inner) + i;
                        dst[at] = lane[heap[r]];
                        idx[at] = heap[r];
                    }
                }
            }
        }

        /// <summary>True when item a ranks before item b: better value, or equal value and lower index.</summary>
        private bool Before<T>(T[] lane, int a, int b)
        {
            int c = ValueOrder.Compare(lane[a], lane[b]);
            return c != 0 ? (largest ? c > 0 : c < 0) : a < b;
        }

        /// <summary>
        /// Keeps the best k items in a heap whose root is the worst kept item (O(n log k)), then sorts them
        /// best first into heap[0..k).
        /// </summary>
        private int Select<T>(T[] lane, int[] heap)
        {
            int size = 0;
            for (int j = 0; j < lane.Length; j++)
            {
                if (size < heap.Length)
                {
                    heap[size] = j;
                    SiftUp(lane, heap, size++);
                }
                else if (Before(lane, j, heap[0]))
                {
                    heap[0] = j;
                    SiftDown(lane, heap, 0, size);
                }
            }

            // Heap-sort in place: repeatedly move the worst kept item to the end.
            for (int end = size - 1; end > 0; end--)
            {
                (heap[0], heap[end]) = (heap[end], heap[0]);
                SiftDown(lane, heap, 0, end);
            }

            return size;
        }

        private void SiftUp<T>(T[] lane, int[] heap, int i)
        {
            while (i > 0)
            {
                int parent = (i - 1) / 2;
                if (!Before(lane, heap[parent], heap[i]))
                {
                    break;
                }

                (heap[parent], heap[i]) = (heap[i], heap[parent]);
                i = parent;
            }
        }

        private void SiftDown<T>(T[] lane, int[] heap, int i, int size)
        {
            while (true)
            {
                int worst = i, l = (2 * i) + 1, r = l + 1;
                if (l < size && Before(lane, heap[worst], heap[l]))
                {
                    worst = l;
                }

                if (r < size && Before(lane, heap[worst], heap[r]))
                {
                    worst = r;
                }

                if (worst == i)
                {
                    return;
                }

                (heap[worst], heap[i]) = (heap[i], heap[worst]);
                i = worst;
            }
        }
    }
}
