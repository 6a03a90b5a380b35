using Xunit;

namespace OpenAutoGlm.TestKit;

/// <summary>
/// A fact that is skipped, with the reason shown, when a libonnx-testdata suite folder
/// (<c>node</c>, <c>pytorch-converted</c>, <c>pytorch-operator</c>, <c>simple</c>) is not installed.
/// </summary>
public sealed class OnnxTestDataFactAttribute : FactAttribute
{
    public OnnxTestDataFactAttribute(string suite = "node")
    {
        if (RequiredData.MissingOnnxTestData(suite) is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A theory that is skipped, with the reason shown, when a libonnx-testdata suite folder is not installed.</summary>
public sealed class OnnxTestDataTheoryAttribute : TheoryAttribute
{
    public OnnxTestDataTheoryAttribute(string suite = "node")
    {
        if (RequiredData.MissingOnnxTestData(suite) is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A fact that is skipped, with the reason shown, when the model zoo cache (<see cref="RepoPaths.ZooCache"/>/models) is absent.</summary>
public sealed class ZooFactAttribute : FactAttribute
{
    public ZooFactAttribute()
    {
        string dir = Path.Combine(RepoPaths.ZooCache, "models");
        if (!Directory.Exists(dir))
        {
            Skip = $"model zoo cache not found at {dir}: build it with shared/zoo/build_zoo.sh or set ZOO_DIR";
        }
    }
}

/// <summary>A fact skipped, with the reason shown, when one zoo model (e.g. "bert_small_op13") is not in the cache.</summary>
public sealed class ZooModelFactAttribute : FactAttribute
{
    public ZooModelFactAttribute(string model)
    {
        string dir = Path.Combine(RepoPaths.ZooCache, "models", model);
        if (!File.Exists(Path.Combine(dir, "model.onnx")))
        {
            Skip = $"zoo model {model} not found at {dir}: scripts/install-test-deps.sh builds it, or set ZOO_DIR";
        }
    }
}

internal static class RequiredData
{
    public static string? MissingOnnxTestData(string suite)
    {
        string dir = Path.Combine(RepoPaths.OnnxTestData, suite);
        return Directory.Exists(dir)
            ? null
            : $"ONNX test data folder {dir} not found: run `apt-get install -y libonnx-testdata` or set AUTOGLM_ONNX_TESTDATA";
    }
}
