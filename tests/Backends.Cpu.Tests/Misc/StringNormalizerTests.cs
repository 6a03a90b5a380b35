using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Misc;

[OpTest("StringNormalizer")]
public sealed class StringNormalizerTests
{
    private static readonly StringTensor s_days = new(["Monday", "tuesday", "monday", "Wednesday"], [4]);

    [Fact]
    public void CaseInsensitiveStopwordsThenUpper()
    {
        var result = Run(s_days, "UPPER", caseSensitive: false, "monday");
        TensorAssert.Close(new StringTensor(["TUESDAY", "WEDNESDAY"], [2]), result);
    }

    [Fact]
    public void CaseSensitiveStopwordsThenLower()
    {
        var result = Run(s_days, "LOWER", caseSensitive: true, "monday");
        TensorAssert.Close(new StringTensor(["monday", "tuesday", "wednesday"], [3]), result);
    }

    [Fact]
    public void TwoDimensionalInputAndEmptyResult()
    {
        var twoDim = Run(new StringTensor(["a", "B"], [1, 2]), "NONE", caseSensitive: false);
        TensorAssert.Close(new StringTensor(["a", "B"], [1, 2]), twoDim);
        var empty = Run(new StringTensor(["x", "X"], [2]), "NONE", caseSensitive: false, "x");
        TensorAssert.Close(new StringTensor([string.Empty], [1]), empty);
    }

    [Fact]
    public void BatchedInputIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(new StringTensor(["a", "b"], [2, 1]), "NONE", caseSensitive: false));
        Assert.Contains("[1, C]", ex.Message);
    }

    private static Tensor Run(StringTensor x, string action, bool caseSensitive, params string[] stopwords)
    {
        var tester = new OpTester("StringNormalizer", 10).Input(x).Attr("case_change_action", action).Attr("is_case_sensitive", caseSensitive ? 1L : 0L);
        if (stopwords.Length > 0)
        {
            tester.Attribute(NodeAttribute.Of("stopwords", stopwords));
        }

        return tester.RunSingle();
    }
}
