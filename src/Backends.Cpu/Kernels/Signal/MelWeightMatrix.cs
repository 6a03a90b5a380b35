using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// MelWeightMatrix (https://onnx.ai/onnx/operators/onnx__MelWeightMatrix.html), [dft_length/2 + 1, num_mel_bins], on
/// the HTK mel scale mel(f) = 2595 log10(1 + f/700) as the ONNX reference computes it: the num_mel_bins + 2 band edges
/// are mel_j = mel(lower) + j * (mel(upper) - mel(lower)) / (num_mel_bins + 2), mapped back to hertz and to the
/// spectrogram bin b_j = floor((dft_length + 1) * hz_j / sample_rate). Band i rises linearly from 0 at b_i to 1 at
/// b_{i+1} (a single 1 when they coincide) and falls to 0 at b_{i+2}: w[j, i] = (j - b_i) / (b_{i+1} - b_i) for
/// j in [b_i, b_{i+1}], (b_{i+2} - j) / (b_{i+2} - b_{i+1}) for j in [b_{i+1}, b_{i+2}). Computed in double.
/// </summary>
internal sealed class MelWeightMatrix : IKernel
{
    private readonly DataType _outputType;

    public MelWeightMatrix(KernelCreationContext context)
    {
        _outputType = SignalInputs.OutputDataType(context);
    }

    public void Compute(KernelContext context)
    {
        long melBins = SignalInputs.ScalarInt(context, 0, "num_mel_bins");
        long dftLength = SignalInputs.ScalarInt(context, 1, "dft_length");
        long sampleRate = SignalInputs.ScalarInt(context, 2, "sample_rate");
        double lower = SignalInputs.ScalarFloat(context, 3, "lower_edge_hertz");
        double upper = SignalInputs.ScalarFloat(context, 4, "upper_edge_hertz");
        if (melBins < 1 || dftLength < 1 || sampleRate < 1 || melBins > int.MaxValue || dftLength > int.MaxValue)
        {
            throw context.Error($"num_mel_bins ({melBins}), dft_length ({dftLength}) and sample_rate ({sampleRate}) must be positive");
        }

        if (!(lower >= 0 && upper > lower))
        {
            throw context.Error($"need 0 <= lower_edge_hertz < upper_edge_hertz, got {lower} and {upper}");
        }

        int mels = (int)melBins;
        int spectrogramBins = (int)(dftLength / 2) + 1;
        if ((long)spectrogramBins * mels > Array.MaxLength)
        {
            throw context.Error($"a [{spectrogramBins}, {mels}] matrix (dft_length {dftLength}, num_mel_bins {melBins}) is larger than one buffer holds");
        }

        double lowMel = 2595 * Math.Log10(1 + (lower / 700));
        double highMel = 2595 * Math.Log10(1 + (upper / 700));
        double melStep = (highMel - lowMel) / (mels + 2);
        var edges = new long[mels + 2];
        for (int j = 0; j < edges.Length; j++)
        {
            double hz = 700 * (Math.Pow(10, ((j * melStep) + lowMel) / 2595) - 1);
            edges[j] = (long)Math.Floor((dftLength + 1) * hz / sampleRate);
        }

        if (edges[mels] >= spectrogramBins || edges[mels + 1] > spectrogramBins)
        {
            throw context.Error($"upper_edge_hertz {upper} maps past the {spectrogramBins} bins of a {dftLength}-point DFT at sample_rate {sampleRate}");
        }

        var output = context.Output(0, _outputType, [spectrogramBins, mels]);
        var values = new double[output.Length];
        for (int i = 0; i < mels; i++)
        {
            long low = edges[i];
            long center = edges[i + 1];
            long high = edges[i + 2];
            if (center == low)
            {
                values[(center * mels) + i] = 1;
            }
            else
            {
                for (long j = low; j <= center; j++)
                {
                    values[(j * mels) + i] = (double)(j - low) / (center - low);
                }
            }

            for (long j = center; j < high; j++)
            {
                values[(j * mels) + i] = (double)(high - j) / (high - center);
            }
        }

        DoubleStore.Store(output, values);
    }
}
