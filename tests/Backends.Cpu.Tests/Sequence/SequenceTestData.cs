using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

internal static class SequenceTestData
{
    public static SequenceTypeInfo SeqOf(DataType type) => new(new TensorTypeInfo(type, null));

    /// <summary>[1 2 3 4], [5 6 7], [8 9] (the ONNX sequence_insert test input).</summary>
    public static TensorSequence ThreeInt64() => new(DataType.Int64,
    [
        Tensor.Create(new long[] { 1, 2, 3, 4 }, 4),
        Tensor.Create(new long[] { 5, 6, 7 }, 3),
        Tensor.Create(new long[] { 8, 9 }, 2),
    ]);

    public static long[][] Values(TensorSequence s) => s.Items.Select(t => t.ToInt64Array()).ToArray();
}
