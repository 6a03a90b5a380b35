using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

/// <summary>Inputs and expected outputs copied from the ONNX backend node tests (onnx/backend/test/data/node).</summary>
internal static class OnnxQuantizationCases
{
    public static (Tensor[] Inputs, Tensor[] Outputs) Quantizelinear() =>
    (
        [
            Tensor.Create(new float[] { 0.0f, 2.0f, 3.0f, 1000.0f, -254.0f, -1000.0f }, 6),
            Tensor.Create(new float[] { 2.0f }),
            Tensor.Create(new byte[] { 128 }),
        ],
        [
            Tensor.Create(new byte[] { 128, 129, 130, 255, 1, 0 }, 6),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) QuantizelinearAxis() =>
    (
        [
            Tensor.Create(new float[] { -162.0f, 10.0f, -100.0f, 232.0f, -20.0f, -50.0f, -76.0f, 0.0f, 0.0f, 252.0f, 32.0f, -44.0f, 245.0f, -485.0f, -960.0f, -270.0f, -375.0f, -470.0f }, 1, 3, 3, 2),
            Tensor.Create(new float[] { 2.0f, 4.0f, 5.0f }, 3),
            Tensor.Create(new byte[] { 84, 24, 196 }, 3),
        ],
        [
            Tensor.Create(new byte[] { 3, 89, 34, 200, 74, 59, 5, 24, 24, 87, 32, 13, 245, 99, 4, 142, 121, 102 }, 1, 3, 3, 2),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) Dequantizelinear() =>
    (
        [
            Tensor.Create(new byte[] { 0, 3, 128, 255 }, 4),
            Tensor.Create(new float[] { 2.0f }),
            Tensor.Create(new byte[] { 128 }),
        ],
        [
            Tensor.Create(new float[] { -256.0f, -250.0f, 0.0f, 254.0f }, 4),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) DequantizelinearAxis() =>
    (
        [
            Tensor.Create(new byte[] { 3, 89, 34, 200, 74, 59, 5, 24, 24, 87, 32, 13, 245, 99, 4, 142, 121, 102 }, 1, 3, 3, 2),
            Tensor.Create(new float[] { 2.0f, 4.0f, 5.0f }, 3),
            Tensor.Create(new byte[] { 84, 24, 196 }, 3),
        ],
        [
            Tensor.Create(new float[] { -162.0f, 10.0f, -100.0f, 232.0f, -20.0f, -50.0f, -76.0f, 0.0f, 0.0f, 252.0f, 32.0f, -44.0f, 245.0f, -485.0f, -960.0f, -270.0f, -375.0f, -470.0f }, 1, 3, 3, 2),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) Dynamicquantizelinear() =>
    (
        [
            Tensor.Create(new float[] { 0.0f, 2.0f, -3.0f, -2.5f, 1.340000033378601f, 0.5f }, 6),
        ],
        [
            Tensor.Create(new byte[] { 153, 255, 0, 26, 221, 179 }, 6),
            Tensor.Create(new float[] { 0.019607843831181526f }),
            Tensor.Create(new byte[] { 153 }),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) DynamicquantizelinearMaxAdjusted() =>
    (
        [
            Tensor.Create(new float[] { -1.0f, -2.0999999046325684f, -1.2999999523162842f, -2.5f, -3.3399999141693115f, -4.0f }, 6),
        ],
        [
            Tensor.Create(new byte[] { 191, 121, 172, 96, 42, 0 }, 6),
            Tensor.Create(new float[] { 0.01568627543747425f }),
            Tensor.Create(new byte[] { 255 }),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) DynamicquantizelinearMinAdjusted() =>
    (
        [
            Tensor.Create(new float[] { 1.0f, 2.0999999046325684f, 1.2999999523162842f, 2.5f, 3.3399999141693115f, 4.0f, 1.5f, 2.5999999046325684f, 3.9000000953674316f, 4.0f, 3.0f, 2.3450000286102295f }, 3, 4),
        ],
        [
            Tensor.Create(new byte[] { 64, 134, 83, 159, 213, 255, 96, 166, 249, 255, 191, 149 }, 3, 4),
            Tensor.Create(new float[] { 0.01568627543747425f }),
            Tensor.Create(new byte[] { 0 }),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) Matmulinteger() =>
    (
        [
            Tensor.Create(new byte[] { 11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0 }, 4, 3),
            Tensor.Create(new byte[] { 1, 4, 2, 5, 3, 6 }, 3, 2),
            Tensor.Create(new byte[] { 12 }, 1),
            Tensor.Create(new byte[] { 0 }, 1),
        ],
        [
            Tensor.Create(new int[] { -38, -83, -44, -98, -50, -113, -56, -128 }, 4, 2),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) Qlinearmatmul2d() =>
    (
        [
            Tensor.Create(new byte[] { 208, 236, 0, 238, 3, 214, 255, 29 }, 2, 4),
            Tensor.Create(new float[] { 0.006599999964237213f }, 1),
            Tensor.Create(new byte[] { 113 }, 1),
            Tensor.Create(new byte[] { 152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247 }, 4, 3),
            Tensor.Create(new float[] { 0.0070500001311302185f }, 1),
            Tensor.Create(new byte[] { 114 }, 1),
            Tensor.Create(new float[] { 0.010700000450015068f }, 1),
            Tensor.Create(new byte[] { 118 }, 1),
        ],
        [
            Tensor.Create(new byte[] { 168, 115, 255, 1, 66, 151 }, 2, 3),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) Qlinearmatmul3d() =>
    (
        [
            Tensor.Create(new byte[] { 208, 236, 0, 238, 3, 214, 255, 29, 208, 236, 0, 238, 3, 214, 255, 29 }, 2, 2, 4),
            Tensor.Create(new float[] { 0.006599999964237213f }, 1),
            Tensor.Create(new byte[] { 113 }, 1),
            Tensor.Create(new byte[] { 152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247, 152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247 }, 2, 4, 3),
            Tensor.Create(new float[] { 0.0070500001311302185f }, 1),
            Tensor.Create(new byte[] { 114 }, 1),
            Tensor.Create(new float[] { 0.010700000450015068f }, 1),
            Tensor.Create(new byte[] { 118 }, 1),
        ],
        [
            Tensor.Create(new byte[] { 168, 115, 255, 1, 66, 151, 168, 115, 255, 1, 66, 151 }, 2, 2, 3),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) BasicConvinteger() =>
    (
        [
            Tensor.Create(new byte[] { 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 1, 1, 3, 3),
            Tensor.Create(new byte[] { 1, 1, 1, 1 }, 1, 1, 2, 2),
            Tensor.Create(new byte[] { 1 }),
        ],
        [
            Tensor.Create(new int[] { 12, 16, 24, 28 }, 1, 1, 2, 2),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) ConvintegerWithPadding() =>
    (
        [
            Tensor.Create(new byte[] { 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 1, 1, 3, 3),
            Tensor.Create(new byte[] { 1, 1, 1, 1 }, 1, 1, 2, 2),
            Tensor.Create(new byte[] { 1 }),
        ],
        [
            Tensor.Create(new int[] { 1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9 }, 1, 1, 4, 4),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) ConvintegerWithoutPadding() =>
    (
        [
            Tensor.Create(new byte[] { 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 1, 1, 3, 3),
            Tensor.Create(new byte[] { 1, 1, 1, 1 }, 1, 1, 2, 2),
            Tensor.Create(new byte[] { 1 }),
        ],
        [
            Tensor.Create(new int[] { 12, 16, 24, 28 }, 1, 1, 2, 2),
        ]);

    public static (Tensor[] Inputs, Tensor[] Outputs) Qlinearconv() =>
    (
        [
            Tensor.Create(new byte[] { 255, 174, 162, 25, 203, 168, 58, 15, 59, 237, 95, 129, 0, 64, 56, 242, 153, 221, 168, 12, 166, 232, 178, 186, 195, 237, 162, 237, 188, 39, 124, 77, 80, 102, 43, 127, 230, 21, 83, 41, 40, 134, 255, 154, 92, 141, 42, 148, 247 }, 1, 1, 7, 7),
            Tensor.Create(new float[] { 0.003692046971991658f }),
            Tensor.Create(new byte[] { 132 }),
            Tensor.Create(new byte[] { 0 }, 1, 1, 1, 1),
            Tensor.Create(new float[] { 0.0017279457533732057f }, 1),
            Tensor.Create(new byte[] { 255 }, 1),
            Tensor.Create(new float[] { 0.001626812620088458f }),
            Tensor.Create(new byte[] { 123 }),
        ],
        [
            Tensor.Create(new byte[] { 0, 81, 93, 230, 52, 87, 197, 240, 196, 18, 160, 126, 255, 191, 199, 13, 102, 34, 87, 243, 89, 23, 77, 69, 60, 18, 93, 18, 67, 216, 131, 178, 175, 153, 212, 128, 25, 234, 172, 214, 215, 121, 0, 101, 163, 114, 213, 107, 8 }, 1, 1, 7, 7),
        ]);

}
