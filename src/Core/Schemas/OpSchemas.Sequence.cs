namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterSequence(Registrar add)
    {
        add("SequenceEmpty", SequenceSchemas.InferEmpty);
        add("SequenceConstruct", SequenceSchemas.InferConstruct);
        add("SequenceInsert", SequenceSchemas.InferInsert);
        add("SequenceAt", SequenceSchemas.InferAt);
        add("SequenceErase", SequenceSchemas.InferSameSequence);
        add("SequenceLength", SequenceSchemas.InferLength);
        add("SplitToSequence", SequenceSchemas.InferSplitToSequence);
        add("ConcatFromSequence", SequenceSchemas.InferConcatFromSequence);
        add("SequenceMap", SequenceMapSchema.Infer);
        add("Optional", OptionalSchemas.InferOptional);
        add("OptionalHasElement", OptionalSchemas.InferHasElement);
        add("OptionalGetElement", OptionalSchemas.InferGetElement);
    }
}
