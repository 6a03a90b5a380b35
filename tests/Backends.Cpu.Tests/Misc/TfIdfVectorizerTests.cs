using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Misc;

[OpTest("TfIdfVectorizer")]
public sealed class TfIdfVectorizerTests
{
    // Pool: unigrams 2 3 5 4 (ordinals 0-3), bigrams (5,6) (7,8) (6,7) (ordinals 4-6); identity output indexes.
    private static OpTester Tester(Tensor x, string mode, long minGram, long maxGram, long maxSkip, float[]? weights = null)
    {
        var t = new OpTester("TfIdfVectorizer", 9).Input(x)
            .Attr("mode", mode).Attr("min_gram_length", minGram).Attr("max_gram_length", maxGram).Attr("max_skip_count", maxSkip)
            .Attr("ngram_counts", new[] { 0L, 4L }).Attr("ngram_indexes", new[] { 0L, 1L, 2L, 3L, 4L, 5L, 6L })
            .Attr("pool_int64s", new[] { 2L, 3L, 5L, 4L, 5L, 6L, 7L, 8L, 6L, 7L });
        return weights is null ? t : t.Attr("weights", weights);
    }

    [Fact]
    public void CountsUnigramsAndSkippedBigrams()
    {
        var x = Tensor.Create(new[] { 1, 1, 3, 3, 3, 7, 8, 6, 7, 5, 6, 8 }, 2, 6);
        var result = Tester(x, "TF", 1, 2, 5).RunSingle();

        // Row 0: '3' three times. Row 1 [8 6 7 5 6 8]: '5' once, (5,6) at skip 0, (7,8) at skip 2, (6,7) at skip 0.
        TensorAssert.Close(new[] { 0f, 3f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 1f, 1f, 1f }, [2, 7], result);
    }

    [Fact]
    public void NoSkipFindsOnlyAdjacentBigrams()
    {
        var x = Tensor.Create(new long[] { 8, 6, 7, 5, 6, 8 }, 6);
        var result = Tester(x, "TF", 2, 2, 0).RunSingle();
        TensorAssert.Close(new[] { 0f, 0f, 0f, 0f, 1f, 0f, 1f }, [7], result);
    }

    [Fact]
    public void IdfAndTfIdfWeights()
    {
        var x = Tensor.Create(new[] { 3, 3, 5, 6 }, 4);
        var w = new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f };
        TensorAssert.Close(new[] { 0f, 2f, 3f, 0f, 5f, 0f, 0f }, [7], Tester(x, "IDF", 1, 2, 0, w).RunSingle());
        TensorAssert.Close(new[] { 0f, 4f, 3f, 0f, 5f, 0f, 0f }, [7], Tester(x, "TFIDF", 1, 2, 0, w).RunSingle());
    }

    [Fact]
    public void StringPool()
    {
        var x = new StringTensor(["a", "b", "a"], [3]);
        var result = new OpTester("TfIdfVectorizer", 9).Input(x)
            .Attr("mode", "TF").Attr("min_gram_length", 1L).Attr("max_gram_length", 1L).Attr("max_skip_count", 0L)
            .Attr("ngram_counts", new[] { 0L }).Attr("ngram_indexes", new[] { 1L, 0L })
            .Attribute(NodeAttribute.Of("pool_strings", new[] { "a", "c" }))
            .RunSingle();
        TensorAssert.Close(new[] { 0f, 2f }, [2], result);
    }

    [Fact]
    public void StringInputForIntegerPoolIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Tester(new StringTensor(["a"], [1]), "TF", 1, 1, 0).RunSingle());
        Assert.Contains("does not match", ex.Message);
    }
}
