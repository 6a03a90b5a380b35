using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

/// <summary>Small models saved as .onnx files for the command tests.</summary>
internal static class TestModels
{
    /// <summary>
    /// x[batch,3] + b → relu → custom com.example.Frobnicate → frob; If(cond) with Relu/Identity branches → if_out.
    /// Exercises symbolic dims, initializers, subgraph op counting and an op no provider runs.
    /// </summary>
    public static string SaveInspectModel(string directory)
    {
        var thenBranch = new Graph("then");
        thenBranch.Nodes.Add(new Node("Relu", ["act"], ["then_out"], "then_relu"));
        thenBranch.Outputs.Add(new ValueInfo("then_out", null));
        var elseBranch = new Graph("else");
        elseBranch.Nodes.Add(new Node("Identity", ["act"], ["else_out"], "else_identity"));
        elseBranch.Outputs.Add(new ValueInfo("else_out", null));

        var model = new ModelBuilder(17)
            .Opset("com.example", 1)
            .Input("x", DataType.Float32, Dim.Symbolic("batch"), 3)
            .Input("cond", DataType.Bool)
            .Initializer("b", new Tensor<float>(new[] { 1f, 2f, 3f }, [3]))
            .Node("Add", ["x", "b"], ["sum"])
            .Node("Relu", ["sum"], ["act"])
            .NodeInDomain("com.example", "Frobnicate", ["act"], ["frob"])
            .Node("If", ["cond"], ["if_out"], NodeAttribute.Of("then_branch", thenBranch), NodeAttribute.Of("else_branch", elseBranch))
            .Output("frob")
            .Output("if_out")
            .Build();
        string path = Path.Combine(directory, "inspect.onnx");
        OnnxModelSaver.Save(model, path);
        return path;
    }

    /// <summary>y = Relu(x + b) with x float32[2,3], b = [0,0,0]; "ids/copy:0" = Identity(ids), ids int64[batch,4].</summary>
    public static string SaveRunModel(string directory)
    {
        var model = new ModelBuilder(17)
            .Input("x", DataType.Float32, 2, 3)
            .Input("ids", DataType.Int64, Dim.Symbolic("batch"), 4)
            .Initializer("b", new Tensor<float>(new float[3], [3]))
            .Node("Add", ["x", "b"], ["sum"])
            .Node("Relu", ["sum"], ["y"])
            .Node("Identity", ["ids"], ["ids/copy:0"])
            .Output("y", DataType.Float32)
            .Output("ids/copy:0", DataType.Int64)
            .Build();
        string path = Path.Combine(directory, "run.onnx");
        OnnxModelSaver.Save(model, path);
        return path;
    }

    /// <summary>x[batch,8] · W[8,8] → Relu → Softmax → y: three named nodes (MatMul_0, Relu_1, Softmax_2) for the bench tests.</summary>
    public static string SaveBenchModel(string directory)
    {
        var weights = new float[64];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = ((i * 7) % 11) - 5;
        }

        var model = new ModelBuilder(17)
            .Input("x", DataType.Float32, Dim.Symbolic("batch"), 8)
            .Initializer("w", new Tensor<float>(weights, [8, 8]))
            .Node("MatMul", ["x", "w"], ["h"])
            .Node("Relu", ["h"], ["r"])
            .Node("Softmax", ["r"], ["y"])
            .Output("y", DataType.Float32)
            .Build();
        string path = Path.Combine(directory, "bench.onnx");
        OnnxModelSaver.Save(model, path);
        return path;
    }

    /// <summary>A model whose only input is a sequence, which random input generation cannot produce.</summary>
    public static string SaveSequenceInputModel(string directory)
    {
        var model = new ModelBuilder(17).Build();
        model.Graph.Inputs.Add(new ValueInfo("items", new SequenceTypeInfo(new TensorTypeInfo(DataType.Float32, null))));
        model.Graph.Nodes.Add(new Node("Identity", ["items"], ["same"], "id"));
        model.Graph.Outputs.Add(new ValueInfo("same", new SequenceTypeInfo(new TensorTypeInfo(DataType.Float32, null))));
        string path = Path.Combine(directory, "seq.onnx");
        OnnxModelSaver.Save(model, path);
        return path;
    }

    public static string ReluTestModel => Path.Combine(RepoPaths.OnnxTestData, "node", "test_relu", "model.onnx");
}
