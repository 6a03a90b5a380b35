using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;

namespace OpenAutoGlm.Optimizer.Passes.Layout;

/// <summary>
/// Moves chains of 2-D float32 convolutions into the blocked channel layout NCHWc ([N, ceil(C/16), H, W, 16], docs/ops.md),
/// where the CPU provider's convolution, depthwise and pooling kernels vectorize over 16 channels of a pixel and need
/// no im2col. Walking the nodes in order: Conv / FusedConv (group 1, or depthwise) becomes ai.autoglm NchwcConv, its
/// input reordered by ReorderInput unless already blocked (a first layer with fewer than 16 channels reads NCHW
/// directly); pools, elementwise activations, Add/Sub/Mul/Max/Min of two blocked values (or a constant scalar) and
/// channel Concats of whole blocks stay blocked when their inputs are; any other reader, and each graph output, gets
/// the NCHW value back through ReorderOutput (attribute channels), inserted once, just before its first reader.
/// Runs only when a provider claims the new ops (the CPU provider does where 512-bit vectors are accelerated).
/// </summary>
public sealed class ConvertToNchwc : IGraphPass
{
    private const int Block = NchwcSchemas.Block;

    private static readonly HashSet<string> s_unary =
    [
        "Relu", "Sigmoid", "Tanh", "HardSwish", "HardSigmoid", "LeakyRelu", "Elu", "Erf", "Abs", "Neg", "Softplus", "Mish", "Clip",
    ];

    private static readonly HashSet<string> s_binary = ["Add", "Sub", "Mul", "Max", "Min"];

    public string Name => "convert-to-nchwc";

    public OptimizationLevel Level => OptimizationLevel.Layout;

    public bool Apply(Model model, PassContext context)
    {
        if (context.CanRun is null || !model.Graph.Nodes.Any(n => IsConv(n)))
        {
            return false;
        }

        bool imported = model.OpsetImports.TryAdd(OpSchemas.AutoGlmDomain, 1);
        var rewrite = new Rewrite(model, context);
        int converted = rewrite.Run();
        if (converted == 0)
        {
            if (imported)
            {
                model.OpsetImports.Remove(OpSchemas.AutoGlmDomain);
            }

            return false;
        }

        context.CountRewrite(converted);
        return true;
    }

    private static bool IsConv(Node n) =>
        (n.Domain.Length == 0 && n.OpType == "Conv") || (n.Domain == OpSchemas.AutoGlmDomain && n.OpType == "FusedConv");

    private sealed class Rewrite(Model model, PassContext context)
    {
        private readonly Graph _graph = model.Graph;
        private readonly FusionGraph _g = new(model, context);
        private readonly List<Node> _nodes = [];

        /// <summary>Original NCHW value → its blocked twin and channel count.</summary>
        private readonly Dictionary<string, (string Name, int Channels)> _blocked = new(StringComparer.Ordinal);

        /// <summary>Values whose NCHW form exists (never converted, or given back by a ReorderOutput).</summary>
        private readonly HashSet<string> _nchw = new(StringComparer.Ordinal);

        private int _converted;

        public int Run()
        {
            var original = _graph.Nodes.ToList();
            foreach (var node in original)
            {
                if (!TryConvert(node))
                {
                    foreach (string input in node.Inputs)
                    {
                        Materialize(input);
                    }

                    foreach (var sub in node.Subgraphs())
                    {
                        foreach (string outer in sub.OuterScopeReferences())
                        {
                            Materialize(outer);
                        }
                    }

                    _nodes.Add(node);
                }
            }

            foreach (var output in _graph.Outputs)
            {
                Materialize(output.Name);
            }

            if (_converted > 0)
            {
                _graph.Nodes.Clear();
                _graph.Nodes.AddRange(_nodes);
            }

            return _converted;
        }

        /// <summary>Makes the NCHW value <paramref name="value"/> exist again when only its blocked twin does.</summary>
        private void Materialize(string value)
        {
            if (value.Length == 0 || _nchw.Contains(value) || !_blocked.TryGetValue(value, out var b))
            {
                return;
            }

            var node = new Node("ReorderOutput", [b.Name], [value], _g.UniqueName("ReorderOutput"), OpSchemas.AutoGlmDomain);
            node.Attributes.Set(NodeAttribute.Of("channels", (long)b.Channels));
            _nodes.Add(node);
            _nchw.Add(value);
        }

        private bool TryConvert(Node node)
        {
            if (node.Outputs.Count != 1 || node.Outputs[0].Length == 0 || node.Subgraphs().Any())
            {
                return false;
            }

            if (IsConv(node))
            {
                return TryConv(node);
            }

            if (node.Domain.Length != 0)
            {
                return false;
            }

            return node.OpType switch
            {
                "MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool" => TryPool(node),
                "Concat" => TryConcat(node),
                _ when s_unary.Contains(node.OpType) => TryUnary(node),
                _ when s_binary.Contains(node.OpType) => TryBinary(node),
                _ => false,
            };
        }

        private bool TryConv(Node conv)
        {
            if (_g.Constant(conv.Inputs[1]) is not { DataType: DataType.Float32, Rank: 4 } w
                || (conv.HasInput(2) && _g.Constant(conv.Inputs[2]) is not { DataType: DataType.Float32, Rank: 1 })
                || _g.ElementTypeOf(conv.Inputs[0]) != DataType.Float32
                || LogicalShape(conv.Inputs[0]) is not { } x)
            {
                return false;
            }

            int m = w.Dims[0], c = checked((int)x[1].Value!.Value);
            long group = conv.Attributes.GetInt("group", 1);
            bool depthwise = group != 1;
            if (depthwise && (group != c || m != c || w.Dims[1] != 1))
            {
                return false;
            }

            if (!depthwise && w.Dims[1] != c)
            {
                return false;
            }

            var strides = conv.Attributes.GetInts("strides");
            if (strides is not null && (strides.Length != 2 || (!depthwise && strides.Any(s => s is not (1 or 2)))))
            {
                return false;
            }

            string? input = _blocked.TryGetValue(conv.Inputs[0], out var bx) ? bx.Name
                : depthwise || c >= Block ? null
                : conv.Inputs[0];
            var added = new List<Node>();
            input ??= Reorder(conv.Inputs[0], added);
            string residual = string.Empty;
            if (conv.HasInput(3))
            {
                if (LogicalShape(conv.Inputs[3]) is not { } z || z[1].Value != m)
                {
                    return false;
                }

                residual = _blocked.TryGetValue(conv.Inputs[3], out var bz) ? bz.Name : Reorder(conv.Inputs[3], added);
            }

            string[] inputs = [input, conv.Inputs[1], conv.InputOrEmpty(2), residual];
            int count = residual.Length > 0 ? 4 : conv.HasInput(2) ? 3 : 2;
            var fused = new Node("NchwcConv", inputs.Take(count), [BlockedName(conv.Outputs[0])], _g.UniqueName("NchwcConv"), OpSchemas.AutoGlmDomain);
            foreach (var a in conv.Attributes)
            {
                fused.Attributes.Set(a);
            }

            var outShape = _g.ShapeOf(conv.Outputs[0]);
            if (outShape is not { Rank: 4 } || outShape[1].Value != m)
            {
                return false;
            }

            added.Add(fused);
            return Commit(added, conv.Outputs[0], m, outShape);
        }

        private bool TryPool(Node pool)
        {
            if (!_blocked.TryGetValue(pool.Inputs[0], out var bx) || _g.ShapeOf(pool.Outputs[0]) is not { Rank: 4 } outShape)
            {
                return false;
            }

            bool windowed = !pool.OpType.StartsWith("Global", StringComparison.Ordinal);
            if (windowed)
            {
                var kernel = pool.Attributes.GetInts("kernel_shape");
                if (kernel is not { Length: 2 } || pool.Attributes.GetInt("storage_order", 0) != 0)
                {
                    return false;
                }

                if (pool.OpType == "AveragePool"
                    && ((pool.Attributes.GetInts("pads")?.Any(p => p != 0) ?? false) || pool.Attributes.GetInt("ceil_mode", 0) != 0
                        || pool.Attributes.GetString("auto_pad", "NOTSET") is "SAME_UPPER" or "SAME_LOWER"))
                {
                    return false;
                }
            }

            var node = new Node("NchwcPool", [bx.Name], [BlockedName(pool.Outputs[0])], _g.UniqueName("NchwcPool"), OpSchemas.AutoGlmDomain);
            foreach (var a in pool.Attributes)
            {
                if (a.Name is not "count_include_pad")
                {
                    node.Attributes.Set(a);
                }
            }

            node.Attributes.Set(NodeAttribute.Of("pool_type", pool.OpType));
            return Commit([node], pool.Outputs[0], bx.Channels, outShape);
        }

        private bool TryUnary(Node node)
        {
            if (!_blocked.TryGetValue(node.Inputs[0], out var bx) || _g.ShapeOf(node.Outputs[0]) is not { Rank: 4 } outShape)
            {
                return false;
            }

            for (int i = 1; i < node.Inputs.Count; i++)
            {
                if (node.Inputs[i].Length > 0 && _g.Constant(node.Inputs[i]) is not { Length: 1 })
                {
                    return false;
                }
            }

            return Commit([Clone(node, [bx.Name, .. node.Inputs.Skip(1)])], node.Outputs[0], bx.Channels, outShape);
        }

        private bool TryBinary(Node node)
        {
            if (node.Inputs.Count != 2 || _g.ShapeOf(node.Outputs[0]) is not { Rank: 4 } outShape || outShape[1].Value is not long c)
            {
                return false;
            }

            var inputs = new string[2];
            bool anyBlocked = false;
            for (int i = 0; i < 2; i++)
            {
                string v = node.Inputs[i];
                if (_blocked.TryGetValue(v, out var b) && b.Channels == c && LogicalShape(v) is not null)
                {
                    inputs[i] = b.Name;
                    anyBlocked = true;
                }
                else if (_g.Constant(v) is { Length: 1 })
                {
                    inputs[i] = v;
                }
                else
                {
                    return false;
                }
            }

            return anyBlocked && Commit([Clone(node, inputs)], node.Outputs[0], (int)c, outShape);
        }

        private bool TryConcat(Node node)
        {
            long axis = node.Attributes.GetInt("axis", 0);
            if ((axis != 1 && axis != -3) || _g.ShapeOf(node.Outputs[0]) is not { Rank: 4 } outShape || outShape[1].Value is not long c)
            {
                return false;
            }

            var inputs = new List<string>();
            foreach (string v in node.Inputs)
            {
                if (!_blocked.TryGetValue(v, out var b) || b.Channels % Block != 0)
                {
                    return false;
                }

                inputs.Add(b.Name);
            }

            var concat = new Node("Concat", inputs, [BlockedName(node.Outputs[0])], _g.UniqueName("Concat"));
            concat.Attributes.Set(NodeAttribute.Of("axis", 1L));
            return Commit([concat], node.Outputs[0], (int)c, outShape);
        }

        private Node Clone(Node node, IEnumerable<string> inputs)
        {
            var copy = new Node(node.OpType, inputs, [BlockedName(node.Outputs[0])], _g.UniqueName(node.OpType), node.Domain);
            foreach (var a in node.Attributes)
            {
                copy.Attributes.Set(a);
            }

            return copy;
        }

        /// <summary>A fresh name for the blocked twin of <paramref name="value"/>.</summary>
        private string BlockedName(string value) => _g.UniqueName(value + "_nchwc");

        /// <summary>A ReorderInput of an NCHW value (added to <paramref name="added"/>), reused by later readers.</summary>
        private string Reorder(string value, List<Node> added)
        {
            string name = BlockedName(value);
            added.Add(new Node("ReorderInput", [value], [name], _g.UniqueName("ReorderInput"), OpSchemas.AutoGlmDomain));
            return name;
        }

        /// <summary>
        /// Types the new values, checks that a provider claims every new node and, if so, appends them in place of the
        /// original node (whose output <paramref name="output"/> now exists blocked only). Returns false, changing
        /// nothing, otherwise.
        /// </summary>
        private bool Commit(List<Node> added, string output, int channels, Shape logical)
        {
            var typed = new List<string>();
            foreach (var n in added)
            {
                foreach (string o in n.Outputs)
                {
                    string source = n.OpType == "ReorderInput" ? n.Inputs[0] : output;
                    var shape = n.OpType == "ReorderInput" ? LogicalShape(source) : logical;
                    if (shape is null)
                    {
                        Untype(typed);
                        return false;
                    }

                    _graph.ValueInfos[o] = new ValueInfo(o, new TensorTypeInfo(DataType.Float32, BlockedShape(shape)));
                    typed.Add(o);
                }
            }

            if (!added.All(context.Claims))
            {
                Untype(typed);
                return false;
            }

            foreach (var n in added)
            {
                if (n.OpType == "ReorderInput")
                {
                    _blocked[n.Inputs[0]] = (n.Outputs[0], checked((int)LogicalShape(n.Inputs[0])![1].Value!.Value));
                    _nchw.Add(n.Inputs[0]);
                }
            }

            _nodes.AddRange(added);
            _blocked[output] = (added[^1].Outputs[0], channels);
            if (_g.IsPinned(output))
            {
                Materialize(output);
            }

            _converted++;
            return true;
        }

        private void Untype(List<string> names)
        {
            foreach (string n in names)
            {
                _graph.ValueInfos.Remove(n);
            }
        }

        /// <summary>The inferred [N, C, H, W] of a value with a known channel count, or null.</summary>
        private Shape? LogicalShape(string value) =>
            _g.ShapeOf(value) is { Rank: 4 } s && s[1].Value is > 0 ? s : null;

        private static Shape BlockedShape(Shape s) =>
            new(s[0], s[1].Value is long c ? Dim.Known((c + Block - 1) / Block) : Dim.Unknown, s[2], s[3], Block);
    }
}
