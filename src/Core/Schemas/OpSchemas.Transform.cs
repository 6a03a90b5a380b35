namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterTransform(Registrar add)
    {
        add("Identity", ShapeRules.SameAsInput0);
        add("Reshape", ReshapeSchema.Infer);
        add("Transpose", TransposeSchema.Infer);
        add("Concat", ConcatSchema.Infer);
        add("Split", SplitSchema.Infer);
        add("Slice", SliceSchema.Infer);
        add("Squeeze", SqueezeSchema.Infer);
        add("Unsqueeze", UnsqueezeSchema.Infer);
        add("Flatten", FlattenSchema.Infer);
        add("Expand", ExpandSchema.Infer);
        add("Shape", ShapeSchema.Infer);
        add("Size", SizeSchema.Infer);
        add("Tile", TileSchema.Infer);
        add("Pad", PadSchema.Infer);
        add("Gather", GatherSchema.Infer);
        add("GatherElements", GatherElementsSchema.Infer);
        add("GatherND", GatherNDSchema.Infer);
        add("ScatterND", ShapeRules.SameAsInput0);
        add("ScatterElements", ShapeRules.SameAsInput0);
        add("Scatter", ShapeRules.SameAsInput0);
        add("DepthToSpace", DepthToSpaceSchema.InferDepthToSpace);
        add("SpaceToDepth", DepthToSpaceSchema.InferSpaceToDepth);
        add("Compress", CompressSchema.Infer);
        add("OneHot", OneHotSchema.Infer);
        add("Trilu", ShapeRules.SameAsInput0);
        add("ReverseSequence", ShapeRules.SameAsInput0);
        add("NonZero", NonZeroSchema.Infer);
        add("Unique", UniqueSchema.Infer);
        add("TopK", TopKSchema.Infer);
        add("CumSum", ShapeRules.SameAsInput0);
    }
}
