using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.ControlFlow;

/// <summary>
/// Scan: for t in 0..L-1: state..., y_t... = body(state..., x[t]...) with x sliced along scan_input_axes (reversed
/// where scan_input_directions is 1), outputs = final state and y stacked along scan_output_axes. Opset 8 adds a
/// batch axis 0 to every input and output and an optional sequence_lens input
/// (https://onnx.ai/onnx/operators/onnx__Scan.html).
/// </summary>
internal sealed class Scan : IKernel
{
    private readonly Graph _body;
    private readonly bool _batched;
    private readonly int _stateCount;
    private readonly int _scanInputs;
    private readonly int _scanOutputs;
    private readonly long[] _inAxes;
    private readonly long[] _inDirections;
    private readonly long[] _outAxes;
    private readonly long[] _outDirections;

    public Scan(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _body = attrs.GetRequiredGraph("body");
        _batched = context.Opset < 9;
        long m = attrs.GetInt("num_scan_inputs");
        int first = _batched ? 1 : 0;
        _stateCount = context.Node.Inputs.Count - first - (int)m;
        _scanInputs = (int)m;
        _scanOutputs = context.Node.Outputs.Count - _stateCount;
        if (m < 1 || _stateCount < 0 || _scanOutputs < 0)
        {
            throw context.Error($"num_scan_inputs {m} does not fit {context.Node.Inputs.Count} inputs and {context.Node.Outputs.Count} outputs");
        }

        if (_body.Inputs.Count != _stateCount + _scanInputs || _body.Outputs.Count != _stateCount + _scanOutputs)
        {
            throw context.Error($"body takes {_body.Inputs.Count} inputs and gives {_body.Outputs.Count} outputs; expected {_stateCount + _scanInputs} and {_stateCount + _scanOutputs}");
        }

        _inAxes = _batched ? new long[m] : attrs.GetInts("scan_input_axes") ?? new long[m];
        _inDirections = (_batched ? attrs.GetInts("directions") : attrs.GetInts("scan_input_directions")) ?? new long[m];
        _outAxes = _batched ? new long[_scanOutputs] : attrs.GetInts("scan_output_axes") ?? new long[_scanOutputs];
        _outDirections = (_batched ? null : attrs.GetInts("scan_output_directions")) ?? new long[_scanOutputs];
        if (_inAxes.Length != m || _inDirections.Length != m || _outAxes.Length != _scanOutputs || _outDirections.Length != _scanOutputs)
        {
            throw context.Error($"scan axes/directions attributes need {m} entries for the scan inputs and {_scanOutputs} for the scan outputs");
        }
    }

    public void Compute(KernelContext context)
    {
        var runner = context.Subgraphs ?? throw context.Error("no subgraph runner is available to run the body");
        if (!_batched)
        {
            var states = Enumerable.Range(0, _stateCount).Select(i => context.Input(i)).ToArray();
            var xs = Enumerable.Range(0, _scanInputs).Select(j => context.Input(_stateCount + j)).ToArray();
            var (finalStates, ys) = Run(context, runner, states, xs, null);
            Emit(context, finalStates, ys);
            return;
        }

        RunBatched(context, runner);
    }

    private void Emit(KernelContext context, Tensor[] states, Tensor[] ys)
    {
        for (int i = 0; i < _stateCount; i++)
        {
            context.SetOutput(i, states[i]);
        }

        for (int k = 0; k < _scanOutputs; k++)
        {
            context.SetOutput(_stateCount + k, ys[k]);
        }
    }

    /// <summary>One unbatched scan over <paramref name="xs"/>; <paramref name="length"/> limits the steps (opset 8 sequence_lens).</summary>
    private (Tensor[] States, Tensor[] Ys) Run(KernelContext context, ISubgraphRunner runner, Tensor[] states, Tensor[] xs, int? length)
    {
        var axes = new int[_scanInputs];
        int steps = -1;
        for (int j = 0; j < _scanInputs; j++)
        {
            var x = xs[j];
            long a = _inAxes[j];
            if (a < -x.Rank || a >= x.Rank)
            {
                throw context.Error($"scan_input_axes value {a} is out of range for scan input {j} of rank {x.Rank}");
            }

            axes[j] = (int)(a < 0 ? a + x.Rank : a);
            int len = x.Dims[axes[j]];
            if (steps >= 0 && len != steps)
            {
                throw context.Error($"scan inputs disagree on the sequence length: input {j} (shape {x.ShapeString}) has {len} along axis {axes[j]}, earlier inputs {steps}");
            }

            steps = len;
        }

        steps = length ?? steps;
        var current = states.Cast<DataValue?>().ToArray();
        var items = new Tensor[_scanOutputs][];
        for (int k = 0; k < _scanOutputs; k++)
        {
            items[k] = new Tensor[steps];
        }

        var inputs = new DataValue?[_stateCount + _scanInputs];
        for (int t = 0; t < steps; t++)
        {
            Array.Copy(current, inputs, _stateCount);
            for (int j = 0; j < _scanInputs; j++)
            {
                int index = _inDirections[j] == 1 ? steps - 1 - t : t;
                inputs[_stateCount + j] = AxisOps.Take(xs[j], axes[j], index);
            }

            var outputs = runner.Run(_body, inputs);
            for (int i = 0; i < _stateCount; i++)
            {
                current[i] = outputs[i];
            }

            for (int k = 0; k < _scanOutputs; k++)
            {
                var y = outputs[_stateCount + k] as Tensor ?? throw context.Error($"body scan output {k} is not a tensor");
                int position = _outDirections[k] == 1 ? steps - 1 - t : t;
                if (t > 0 && !items[k][_outDirections[k] == 1 ? steps - 1 : 0].Dims.SequenceEqual(y.Dims))
                {
                    throw context.Error($"scan output {k} changes shape between iterations (now {y.ShapeString})");
                }

                items[k][position] = y;
            }
        }

        var ys = new Tensor[_scanOutputs];
        for (int k = 0; k < _scanOutputs; k++)
        {
            ys[k] = steps > 0 ? StackAt(context, items[k], _outAxes[k]) : EmptyOutput(context, k);
        }

        return (current.Select((v, i) => v as Tensor ?? throw context.Error($"state {i} is not a tensor")).ToArray(), ys);
    }

    private static Tensor StackAt(KernelContext context, Tensor[] items, long axis)
    {
        int rank = items[0].Rank + 1;
        if (axis < -rank || axis >= rank)
        {
            throw context.Error($"scan_output_axes value {axis} is out of range for output rank {rank}");
        }

        return AxisOps.Stack(items, (int)(axis < 0 ? axis + rank : axis));
    }

    // Zero steps: the slice shape comes from the body's inferred output type where known.
    private Tensor EmptyOutput(KernelContext context, int k)
    {
        var type = _body.Outputs[_stateCount + k].Type as TensorTypeInfo;
        var elementType = type?.ElementType is { } e && e != DataType.Undefined ? e : DataType.Float32;
        if (type?.Shape is not { IsFullyKnown: true } s)
        {
            return Tensor.Allocate(elementType, [0]);
        }

        var dims = s.ToIntArray().ToList();
        long axis = _outAxes[k];
        int rank = dims.Count + 1;
        if (axis < -rank || axis >= rank)
        {
            throw context.Error($"scan_output_axes value {axis} is out of range for output rank {rank}");
        }

        dims.Insert((int)(axis < 0 ? axis + rank : axis), 0);
        return Tensor.Allocate(elementType, dims.ToArray());
    }

    // Opset 8: every state and scan input has a batch axis 0; scan inputs scan along axis 1.
    private void RunBatched(KernelContext context, ISubgraphRunner runner)
    {
        var lens = context.OptionalInput(0)?.ToInt64Array();
        var states = Enumerable.Range(0, _stateCount).Select(i => context.Input(1 + i)).ToArray();
        var xs = Enumerable.Range(0, _scanInputs).Select(j => context.Input(1 + _stateCount + j)).ToArray();
        var all = states.Concat(xs).ToArray();
        if (all.Any(t => t.Rank == 0) || xs.Any(t => t.Rank < 2))
        {
            throw context.Error("opset-8 Scan needs a batch axis on every input and a sequence axis on every scan input");
        }

        int batch = all[0].Dims[0];
        if (all.Any(t => t.Dims[0] != batch))
        {
            throw context.Error($"inputs disagree on the batch size: {string.Join(", ", all.Select(t => t.ShapeString))}");
        }

        int maxLen = xs[0].Dims[1];
        if (lens is not null && (lens.Length != batch || lens.Any(l => l < 0 || l > maxLen)))
        {
            throw context.Error($"sequence_lens [{string.Join(",", lens)}] must have {batch} entries in [0, {maxLen}]");
        }

        var outStates = new Tensor[batch][];
        var outYs = new Tensor[batch][];
        for (int b = 0; b < batch; b++)
        {
            int len = lens is null ? maxLen : (int)lens[b];
            var bs = states.Select(s => AxisOps.Take(s, 0, b)).ToArray();
            var bx = xs.Select(x => AxisOps.Narrow(AxisOps.Take(x, 0, b), 0, 0, len)).ToArray();
            (outStates[b], outYs[b]) = Run(context, runner, bs, bx, len);
            for (int k = 0; k < _scanOutputs; k++)
            {
                outYs[b][k] = PadSteps(outYs[b][k], maxLen);
            }
        }

        for (int i = 0; i < _stateCount; i++)
        {
            context.SetOutput(i, AxisOps.Stack(outStates.Select(s => s[i]).ToList(), 0));
        }

        for (int k = 0; k < _scanOutputs; k++)
        {
            context.SetOutput(_stateCount + k, AxisOps.Stack(outYs.Select(y => y[k]).ToList(), 0));
        }
    }

    // Steps past a batch entry's sequence length are zero.
    private static Tensor PadSteps(Tensor y, int maxLen)
    {
        if (y.Dims[0] == maxLen)
        {
            return y;
        }

        var dims = y.DimsArray();
        dims[0] = maxLen;
        var padded = Tensor.Allocate(y.DataType, dims);
        AxisOps.Copy(y, 0, padded, 0, y.Length);
        return padded;
    }
}
