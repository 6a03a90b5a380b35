using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.ControlFlow;

/// <summary>
/// Loop: for (i = 0; (M absent || i &lt; M) &amp;&amp; (cond absent || cond); i++) { cond, v..., scan... = body(i, cond, v...) };
/// outputs are the final v... and every iteration's scan values stacked on a new axis 0
/// (https://onnx.ai/onnx/operators/onnx__Loop.html).
/// </summary>
internal sealed class Loop : IKernel
{
    private readonly Graph _body;
    private readonly int _carried;
    private readonly int _scans;

    public Loop(KernelCreationContext context)
    {
        _body = context.Attributes.GetRequiredGraph("body");
        _carried = context.Node.Inputs.Count - 2;
        if (_carried < 0 || _body.Inputs.Count != _carried + 2)
        {
            throw context.Error($"body must take 2 + {Math.Max(_carried, 0)} inputs (iteration_num, cond, loop-carried values), it takes {_body.Inputs.Count}");
        }

        _scans = _body.Outputs.Count - 1 - _carried;
        if (_scans < 0 || context.Node.Outputs.Count > _carried + _scans)
        {
            throw context.Error($"body has {_body.Outputs.Count} outputs, which does not fit {_carried} loop-carried values and {context.Node.Outputs.Count} node outputs");
        }
    }

    public void Compute(KernelContext context)
    {
        var runner = context.Subgraphs ?? throw context.Error("no subgraph runner is available to run the body");
        long? maxTrips = context.OptionalInput(0) is { } m ? ScalarLong(context, m, "M") : null;
        var condInput = context.OptionalInput(1);
        bool cond = condInput is null || ScalarBool(context, condInput, "cond");

        var state = new DataValue[_carried];
        for (int i = 0; i < _carried; i++)
        {
            state[i] = context.InputValue(i + 2) ?? throw context.Error($"loop-carried input {i + 2} is missing");
        }

        var scanItems = new List<Tensor>[_scans];
        for (int k = 0; k < _scans; k++)
        {
            scanItems[k] = [];
        }

        var inputs = new DataValue?[_carried + 2];
        for (long i = 0; (maxTrips is null || i < maxTrips) && (condInput is null || cond); i++)
        {
            inputs[0] = Tensor.Scalar(i);
            inputs[1] = Tensor.Scalar(cond);
            state.CopyTo(inputs, 2);
            var outputs = runner.Run(_body, inputs);

            // Without a cond input the body's condition output is computed but ignored.
            if (condInput is not null)
            {
                cond = ScalarBool(context, outputs[0] as Tensor ?? throw context.Error("body output 0 (cond) must be a tensor"), "body output cond");
            }

            for (int c = 0; c < _carried; c++)
            {
                state[c] = outputs[1 + c];
            }

            for (int k = 0; k < _scans; k++)
            {
                var item = outputs[1 + _carried + k] as Tensor ?? throw context.Error($"scan output {k} of iteration {i} is not a tensor");
                if (scanItems[k].Count > 0 && !scanItems[k][0].Dims.SequenceEqual(item.Dims))
                {
                    throw context.Error($"scan output {k} has shape {item.ShapeString} in iteration {i} but {scanItems[k][0].ShapeString} in iteration 0");
                }

                scanItems[k].Add(item);
            }
        }

        for (int c = 0; c < _carried && c < context.OutputCount; c++)
        {
            context.SetOutput(c, state[c]);
        }

        for (int k = 0; k < _scans && _carried + k < context.OutputCount; k++)
        {
            context.SetOutput(_carried + k, scanItems[k].Count > 0 ? AxisOps.Stack(scanItems[k], 0) : EmptyScanOutput(context, k));
        }
    }

    // Zero iterations: the per-iteration shape comes from the body's inferred output type where known.
    private Tensor EmptyScanOutput(KernelContext context, int k)
    {
        var type = _body.Outputs[1 + _carried + k].Type as TensorTypeInfo;
        var elementType = type?.ElementType is { } t && t != DataType.Undefined ? t : DataType.Float32;
        int[] dims = type?.Shape is { IsFullyKnown: true } s ? [0, .. s.ToIntArray()] : [0];
        return Tensor.Allocate(elementType, dims);
    }

    private static long ScalarLong(KernelContext context, Tensor t, string what) =>
        t.Length == 1 ? t.ToInt64Array()[0] : throw context.Error($"{what} must hold exactly one element, got shape {t.ShapeString}");

    private static bool ScalarBool(KernelContext context, Tensor t, string what)
    {
        if (t.Length != 1)
        {
            throw context.Error($"{what} must hold exactly one element, got shape {t.ShapeString}");
        }

        return t.DataType == DataType.Bool ? t.AsSpan<bool>()[0] : t.ToDoubleArray()[0] != 0;
    }
}
