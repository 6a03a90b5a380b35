using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Runtime.Tests;

/// <summary>
/// The memory planner: buffers reused after their last reader, views keeping their storage alive, outputs never
/// recycled, and steady-state <see cref="InferenceSession.Run(IoBinding, RunStatistics?, CancellationToken)"/>
/// allocating nothing on the managed heap.
/// Runs alone (no other test class in parallel), so the process-wide allocation count sees only these runs.
/// </summary>
[Collection(MeasuresAllocations.Name)]
public sealed class MemoryPlanningTests
{
    private const int Warmup = 3;
    private const int Measured = 20;

    private static InferenceSession Session(Model model, int threads = 1) =>
        InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], IntraOpThreads = threads });

    private static Tensor<float> Random(int seed, params int[] dims)
    {
        var rng = new Random(seed);
        var t = new Tensor<float>(dims);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return t;
    }

    /// <summary>The CLI's demo MLP: Gemm → Relu → Gemm (logits, also an output) → Softmax.</summary>
    internal static Model Mlp() => new ModelBuilder()
        .Input("features", DataType.Float32, 2, 4)
        .Initializer("W1", Random(1, 4, 8))
        .Initializer("b1", Random(2, 8))
        .Initializer("W2", Random(3, 8, 3))
        .Initializer("b2", Random(4, 3))
        .Node("Gemm", ["features", "W1", "b1"], ["hidden"])
        .Node("Relu", ["hidden"], ["hidden_relu"])
        .Node("Gemm", ["hidden_relu", "W2", "b2"], ["logits"])
        .Node("Softmax", ["logits"], ["probabilities"], NodeAttribute.Of("axis", -1L))
        .Output("logits")
        .Output("probabilities")
        .Build();

    /// <summary>Conv(3→8, 3x3, pad 1) → Relu → MaxPool 2x2 → Flatten → Gemm(512→10).</summary>
    internal static Model Cnn() => new ModelBuilder()
        .Input("x", DataType.Float32, 1, 3, 16, 16)
        .Initializer("W", Random(5, 8, 3, 3, 3))
        .Initializer("B", Random(6, 8))
        .Initializer("W2", Random(7, 512, 10))
        .Initializer("b2", Random(8, 10))
        .Node("Conv", ["x", "W", "B"], ["c"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }), NodeAttribute.Of("kernel_shape", new long[] { 3, 3 }))
        .Node("Relu", ["c"], ["r"])
        .Node("MaxPool", ["r"], ["p"], NodeAttribute.Of("kernel_shape", new long[] { 2, 2 }), NodeAttribute.Of("strides", new long[] { 2, 2 }))
        .Node("Flatten", ["p"], ["f"])
        .Node("Gemm", ["f", "W2", "b2"], ["y"])
        .Output("y")
        .Build();

    /// <summary>A squeeze-excitation block: x * Sigmoid(GlobalAveragePool(x)) + bias, both broadcasts (Mul, Add).</summary>
    internal static Model SqueezeExcitation() => new ModelBuilder()
        .Input("x", DataType.Float32, 1, 32, 14, 14)
        .Initializer("bias", Random(10, 32, 1, 1))
        .Node("GlobalAveragePool", ["x"], ["pooled"])
        .Node("Sigmoid", ["pooled"], ["scale"])
        .Node("Mul", ["x", "scale"], ["scaled"])
        .Node("Add", ["scaled", "bias"], ["y"])
        .Output("y")
        .Build();

    /// <summary>
    /// Bytes per run over <see cref="Measured"/> steady-state runs of the binding: on the calling thread, and process-wide
    /// (the least of three windows, since the test host's own threads, message sinks and the tiering JIT may allocate
    /// during any one window; a kernel that allocates shows up in every window).
    /// </summary>
    internal static (long Thread, long Process) MeasureSteadyState(InferenceSession session, IoBinding binding)
    {
        for (int i = 0; i < Warmup; i++)
        {
            session.Run(binding);
        }

        long thread = long.MaxValue, process = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long thread0 = GC.GetAllocatedBytesForCurrentThread();
            long total0 = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < Measured; i++)
            {
                session.Run(binding);
            }

            long total = GC.GetTotalAllocatedBytes(precise: true) - total0;
            thread = Math.Min(thread, (GC.GetAllocatedBytesForCurrentThread() - thread0) / Measured);
            process = Math.Min(process, total / Measured);
        }

        return (thread, process);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("squeeze-excitation")]
    public void SteadyStateBindingRunAllocatesNothing(string name)
    {
        var (model, input, feed) = name switch
        {
            "mlp" => (Mlp(), "features", Random(9, 2, 4)),
            "cnn" => (Cnn(), "x", Random(9, 1, 3, 16, 16)),
            _ => (SqueezeExcitation(), "x", Random(9, 1, 32, 14, 14)),
        };
        var session = Session(model);
        var binding = session.CreateBinding();
        binding.BindInput(input, feed);
        var (thread, process) = MeasureSteadyState(session, binding);
        Assert.Equal(0, thread);

        // One intra-op thread: every kernel runs on this thread, so the process-wide count sees the same runs
        // (this collection runs alone; the test host's own threads may still allocate a little meanwhile).
        Assert.True(process < 512, $"{name}: {process} bytes per run allocated process-wide");
    }

    /// <summary>
    /// Kernels that skip zero-filling their output (convolutions, fused epilogues, element-wise, pooling, Concat, Clip)
    /// must write every element: with <see cref="SessionOptions.PoisonUninitializedOutputs"/> such outputs start as NaN,
    /// and the poisoned session (run twice, the second run on buffers holding the first run's values) must give what a
    /// plain session gives.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void OutputsNotZeroFilledAreFullyWritten(int threads)
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 1, 4, 13, 21)
            .Initializer("W", Random(30, 6, 4, 3, 3)).Initializer("B", Random(31, 6))
            .Initializer("Wd", Random(32, 6, 1, 3, 3)).Initializer("Wp", Random(33, 6, 6, 1, 1)).Initializer("s", Random(34, 1, 6, 1, 1))
            .Initializer("lo", Tensor.Scalar(-0.5f)).Initializer("hi", Tensor.Scalar(0.5f))
            .Node("Conv", ["x", "W", "B"], ["c"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c"], ["r"])
            .Node("Conv", ["r", "Wd"], ["d"], NodeAttribute.Of("group", 6L), NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Clip", ["d", "lo", "hi"], ["dc"])
            .Node("Conv", ["dc", "Wp"], ["p"])
            .Node("Add", ["p", "dc"], ["res"])
            .Node("Mul", ["res", "s"], ["scaled"])
            .Node("Sigmoid", ["scaled"], ["sg"])
            .Node("MaxPool", ["sg"], ["mp"], NodeAttribute.Of("kernel_shape", new long[] { 2, 2 }), NodeAttribute.Of("strides", new long[] { 2, 2 }))
            .Node("AveragePool", ["sg"], ["ap"], NodeAttribute.Of("kernel_shape", new long[] { 2, 2 }), NodeAttribute.Of("strides", new long[] { 2, 2 }))
            .Node("Concat", ["mp", "ap"], ["cat"], NodeAttribute.Of("axis", 1L))
            .Node("GlobalAveragePool", ["cat"], ["g"])
            .Node("GlobalAveragePool", ["sg"], ["g2"])
            .Node("Conv", ["r", "Wd"], ["d2"], NodeAttribute.Of("group", 6L), NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }), NodeAttribute.Of("strides", new long[] { 2, 2 }))
            .Node("GlobalMaxPool", ["d2"], ["g4"])
            .Node("Concat", ["g", "g2", "g4"], ["g3"], NodeAttribute.Of("axis", 1L))
            .Node("Flatten", ["g3"], ["y"])
            .Output("y")
            .Build();
        foreach (var level in new[] { OptimizationLevel.None, OptimizationLevel.All })
        {
            var feed = Random(41, 1, 4, 13, 21);
            var plain = new SessionOptions { Providers = [new CpuExecutionProvider()], IntraOpThreads = threads, OptimizationLevel = level };
            var expected = (Tensor)InferenceSession.Create(model, plain).Run(new Dictionary<string, DataValue> { ["x"] = feed.Clone() })["y"];
            var poisoned = InferenceSession.Create(model, new SessionOptions
            {
                Providers = [new CpuExecutionProvider()], IntraOpThreads = threads, OptimizationLevel = level, PoisonUninitializedOutputs = true,
            });
            foreach (var input in new[] { Random(40, 1, 4, 13, 21), feed })
            {
                var actual = (Tensor)poisoned.Run(new Dictionary<string, DataValue> { ["x"] = input.Clone() })["y"];
                Assert.All(actual.ToDoubleArray(), v => Assert.False(double.IsNaN(v), $"level {level}: an unwritten (poisoned) element reached the output"));
                if (ReferenceEquals(input, feed))
                {
                    // Sums may round differently with another buffer's alignment (1 ulp).
                    TensorAssert.Close(expected, actual, 1e-6, 1e-6);
                }
            }
        }
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    public void BindingOutputsMatchDictionaryRun(string name)
    {
        var (model, input) = name == "mlp" ? (Mlp(), "features") : (Cnn(), "x");
        var dims = name == "mlp" ? new[] { 2, 4 } : new[] { 1, 3, 16, 16 };
        var session = Session(model);
        var binding = session.CreateBinding();
        var feed = Random(10, dims);
        binding.BindInput(input, feed);
        for (int run = 0; run < 4; run++)
        {
            // New input values each run, written into the bound tensor in place.
            Random(20 + run, dims).Span.CopyTo(feed.Span);
            session.Run(binding);
            var expected = session.Run(new Dictionary<string, DataValue> { [input] = feed.Clone() });
            foreach (var output in session.Outputs)
            {
                Assert.Equal(((Tensor)expected[output.Name]).ToDoubleArray(), ((Tensor)binding.Output(output.Name)).ToDoubleArray());
            }
        }
    }

    [Fact]
    public void CallerBoundOutputIsWrittenInPlace()
    {
        var session = Session(Mlp());
        var binding = session.CreateBinding();
        var x = Random(11, 2, 4);
        binding.BindInput("features", x);
        var probabilities = new Tensor<float>([2, 3]);
        binding.BindOutput("probabilities", probabilities);
        session.Run(binding);
        Assert.Same(probabilities, binding.Output("probabilities"));
        var expected = (Tensor)session.Run(new Dictionary<string, DataValue> { ["features"] = x })["probabilities"];
        Assert.Equal(expected.ToDoubleArray(), probabilities.ToDoubleArray());
    }

    [Fact]
    public void CallerBoundOutputOfWrongShapeIsNamed()
    {
        var session = Session(Mlp());
        var binding = session.CreateBinding();
        binding.BindInput("features", Random(12, 2, 4));
        binding.BindOutput("probabilities", new Tensor<float>([3, 3]));
        var ex = Assert.Throws<InvalidInputException>(() => session.Run(binding));
        Assert.Contains("'probabilities'", ex.Message);
        Assert.Contains("[3,3]", ex.Message);
        Assert.Contains("[2,3]", ex.Message);
    }

    [Fact]
    public void UnboundInputIsNamed()
    {
        var session = Session(Mlp());
        var ex = Assert.Throws<InvalidInputException>(() => session.Run(session.CreateBinding()));
        Assert.Contains("'features'", ex.Message);
    }

    [Fact]
    public void ReturnedOutputsAreNeverRecycled()
    {
        var session = Session(Mlp());
        var x = Random(13, 2, 4);
        var first = session.Run(new Dictionary<string, DataValue> { ["features"] = x });
        var snapshot = ((Tensor)first["probabilities"]).ToDoubleArray();
        for (int i = 0; i < 5; i++)
        {
            session.Run(new Dictionary<string, DataValue> { ["features"] = Random(30 + i, 2, 4) });
        }

        Assert.Equal(snapshot, ((Tensor)first["probabilities"]).ToDoubleArray());
    }

    /// <summary>
    /// A view (Reshape) of an intermediate outlives the intermediate's last direct reader; later nodes allocate
    /// buffers of the same size class. A recycled-too-early buffer would overwrite the view.
    /// </summary>
    [Fact]
    public void ViewKeepsItsStorageAlive()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 4, 8)
            .Initializer("shape", Tensor.Create(new long[] { 8, 4 }, 2))
            .Node("Relu", ["x"], ["r"])
            .Node("Reshape", ["r", "shape"], ["v"])
            .Node("Neg", ["x"], ["n1"])
            .Node("Abs", ["n1"], ["n2"])
            .Node("Neg", ["n2"], ["n3"])
            .Node("Transpose", ["v"], ["t"])
            .Node("Add", ["t", "n3"], ["y"])
            .Output("y")
            .Output("v")
            .Build();
        var session = Session(model);
        var x = Random(14, 4, 8);
        var xs = x.Span.ToArray();
        for (int run = 0; run < 3; run++)
        {
            var result = session.Run(new Dictionary<string, DataValue> { ["x"] = x });
            var y = ((Tensor)result["y"]).ToDoubleArray();
            var v = ((Tensor)result["v"]).ToDoubleArray();
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 8; j++)
                {
                    float relu = Math.Max(0, xs[(i * 8) + j]);
                    Assert.Equal(relu, v[(i * 8) + j]);

                    // t = transpose(v [8,4]) [4,8]: t[i,j] = v[j,i] = relu(x)[(j * 4 + i)]; n3 = -|x|.
                    float t = Math.Max(0, xs[(j * 4) + i]);
                    Assert.Equal(t - Math.Abs(xs[(i * 8) + j]), y[(i * 8) + j], 5);
                }
            }
        }
    }

    [Fact]
    public void ArenaPeakIsReportedAndBelowTheSumOfAllocations()
    {
        var session = Session(Cnn());
        var stats = new RunStatistics();
        var binding = session.CreateBinding();
        binding.BindInput("x", Random(15, 1, 3, 16, 16));
        session.Run(binding, stats);
        session.Run(binding, stats);
        Assert.True(stats.ArenaPeakBytes > 0);
        Assert.True(stats.ArenaPeakBytes < stats.AllocatedBytes + (64 * 4 * 5), $"peak {stats.ArenaPeakBytes}, allocated {stats.AllocatedBytes}");
        Assert.True(stats.ArenaReservedBytes >= stats.ArenaPeakBytes - (8 * 16 * 16 * 4 * 2));
    }

    [Fact]
    public void ConcurrentRunsGetSeparateArenas()
    {
        var session = Session(Cnn());
        var inputs = Enumerable.Range(0, 8).Select(i => Random(40 + i, 1, 3, 16, 16)).ToArray();
        var expected = inputs.Select(x => ((Tensor)session.Run(new Dictionary<string, DataValue> { ["x"] = x })["y"]).ToDoubleArray()).ToArray();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var y = ((Tensor)session.Run(new Dictionary<string, DataValue> { ["x"] = inputs[i % 8] })["y"]).ToDoubleArray();
            Assert.Equal(expected[i % 8], y);
        });
    }
}

/// <summary>Tests that measure process-wide allocation: xunit runs this collection after the parallel ones, alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresAllocations
{
    public const string Name = "measures allocations";
}
