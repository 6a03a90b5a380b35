using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

internal static class QuantTestHelper
{
    /// <summary>Runs an ONNX node-test case through OpTester and compares every output exactly (float outputs to 1e-6).</summary>
    public static void RunCase(string op, long opset, (Tensor[] Inputs, Tensor[] Outputs) testCase, params NodeAttribute[] attrs)
    {
        var tester = new OpTester(op, opset).Outputs(testCase.Outputs.Length);
        foreach (var input in testCase.Inputs)
        {
            tester.Input(input);
        }

        foreach (var a in attrs)
        {
            tester.Attribute(a);
        }

        var results = tester.Run();
        for (int i = 0; i < results.Length; i++)
        {
            TensorAssert.Close(testCase.Outputs[i], results[i], 1e-6, 1e-6);
        }
    }
}
