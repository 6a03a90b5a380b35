using System.Text.Json;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

public class InspectCommandTests
{
    [Fact]
    public void Json_reports_io_opsets_ops_unsupported_parameters_and_values()
    {
        using var dir = new TempDirectory();
        string path = TestModels.SaveInspectModel(dir.Path);

        var result = CliHarness.Run("inspect", path, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        Assert.Equal(path, root.GetProperty("model").GetString());

        var inputs = root.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(["x", "cond"], inputs.Select(i => i.GetProperty("name").GetString()));
        var xShape = inputs[0].GetProperty("shape");
        Assert.Equal("batch", xShape[0].GetString());
        Assert.Equal(3, xShape[1].GetInt32());
        Assert.Equal("float32", inputs[0].GetProperty("dtype").GetString());
        Assert.Equal(0, inputs[1].GetProperty("shape").GetArrayLength());
        Assert.Equal(["frob", "if_out"], root.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));

        var opsets = root.GetProperty("opsets").EnumerateArray().ToDictionary(o => o.GetProperty("domain").GetString()!, o => o.GetProperty("version").GetInt64());
        Assert.Equal(17, opsets["ai.onnx"]);
        Assert.Equal(1, opsets["com.example"]);

        // Subgraph nodes count: one Relu in the main graph and one in the then-branch.
        var ops = root.GetProperty("ops");
        Assert.Equal(2, ops.GetProperty("Relu").GetInt32());
        Assert.Equal(1, ops.GetProperty("Add").GetInt32());
        Assert.Equal(1, ops.GetProperty("Identity").GetInt32());
        Assert.Equal(1, ops.GetProperty("If").GetInt32());
        Assert.Equal(1, ops.GetProperty("com.example.Frobnicate").GetInt32());
        Assert.Equal(6, root.GetProperty("nodeCount").GetInt32());

        var frob = root.GetProperty("unsupportedOps").EnumerateArray().Single(u => u.GetProperty("op").GetString() == "Frobnicate");
        Assert.Equal("com.example", frob.GetProperty("domain").GetString());
        Assert.Equal(1, frob.GetProperty("opset").GetInt64());
        Assert.Contains("no kernel for op Frobnicate", frob.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Frobnicate_2"], frob.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        Assert.DoesNotContain(root.GetProperty("unsupportedOps").EnumerateArray(), u => u.GetProperty("op").GetString() is "Add" or "Relu");

        var parameters = root.GetProperty("parameters");
        Assert.Equal(3, parameters.GetProperty("count").GetInt64());
        Assert.Equal(12, parameters.GetProperty("bytes").GetInt64());
        Assert.Equal(1, parameters.GetProperty("initializers").GetInt32());

        var values = root.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal("Add", values["sum"].GetProperty("op").GetString());
        Assert.Equal("batch", values["sum"].GetProperty("shape")[0].GetString());
        Assert.Equal(3, values["sum"].GetProperty("shape")[1].GetInt32());
        Assert.Equal("float32", values["act"].GetProperty("dtype").GetString());
        Assert.Equal(JsonValueKind.Null, values["act"].GetProperty("graph").ValueKind);
        Assert.Equal("then", values["then_out"].GetProperty("graph").GetString());
        Assert.True(values.ContainsKey("frob"));
    }

    [Fact]
    public void Text_mode_prints_tables_and_values_on_request()
    {
        using var dir = new TempDirectory();
        string path = TestModels.SaveInspectModel(dir.Path);

        var plain = CliHarness.Run("inspect", path);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("Inputs", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("[batch, 3]", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("com.example.Frobnicate", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("Ops the CPU provider cannot run", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("parameters: 3 (12 B) in 1 initializers", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("--values lists", plain.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", plain.Stdout, StringComparison.Ordinal);

        var withValues = CliHarness.Run("inspect", path, "--values");
        Assert.True(withValues.ExitCode == 0, withValues.ToString());
        Assert.Contains("Values (inferred)", withValues.Stdout, StringComparison.Ordinal);
        Assert.Contains("then_out", withValues.Stdout, StringComparison.Ordinal);
    }

    [OnnxTestDataFact]
    public void Inspects_the_onnx_backend_test_relu_model()
    {
        string path = TestModels.ReluTestModel;
        var json = CliHarness.Run("inspect", path, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout);
        var input = doc.RootElement.GetProperty("inputs")[0];
        Assert.Equal("x", input.GetProperty("name").GetString());
        Assert.Equal([3, 4, 5], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(1, doc.RootElement.GetProperty("ops").GetProperty("Relu").GetInt32());
        Assert.Equal(0, doc.RootElement.GetProperty("unsupportedOps").GetArrayLength());

        var text = CliHarness.Run("inspect", path);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("The CPU provider can run every node (1).", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_is_a_model_error()
    {
        var result = CliHarness.Run("inspect", "/nonexistent/model.onnx");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("error: model file '/nonexistent/model.onnx' not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_is_a_model_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.onnx");
        File.WriteAllBytes(path, [0xff, 0xff, 0xff, 0xff, 0x0f]);
        var result = CliHarness.Run("inspect", path);
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(path, result.Stderr, StringComparison.Ordinal);
    }
}
