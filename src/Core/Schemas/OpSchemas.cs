using System.Diagnostics.CodeAnalysis;

namespace OpenAutoGlm.Core;

/// <summary>
/// Shape/type inference functions by (domain, op). Each op family registers its functions in its own
/// partial file (<c>OpSchemas.&lt;Family&gt;.cs</c>), one line per op.
/// </summary>
public static partial class OpSchemas
{
    private static readonly Dictionary<(string Domain, string OpType), ShapeInferenceFunction> s_functions = CreateRegistry();

    /// <summary>Every (domain, op) that has shape inference.</summary>
    public static IEnumerable<(string Domain, string OpType)> Registered => s_functions.Keys;

    public static bool TryGet(string domain, string opType, [NotNullWhen(true)] out ShapeInferenceFunction? function) =>
        s_functions.TryGetValue((Node.NormalizeDomain(domain), opType), out function);

    public static bool Has(string domain, string opType) => s_functions.ContainsKey((Node.NormalizeDomain(domain), opType));

    private static Dictionary<(string, string), ShapeInferenceFunction> CreateRegistry()
    {
        var r = new Dictionary<(string, string), ShapeInferenceFunction>();
        void Add(string opType, ShapeInferenceFunction f, string domain = "") => r[(domain, opType)] = f;
        RegisterElementwise(Add);
        RegisterTransform(Add);
        RegisterNn(Add);
        RegisterReduction(Add);
        RegisterGenerator(Add);
        RegisterControlFlow(Add);
        RegisterSequence(Add);
        RegisterQuantization(Add);
        RegisterImage(Add);
        RegisterRecurrent(Add);
        RegisterSignal(Add);
        RegisterLoss(Add);
        RegisterMisc(Add);
        RegisterAutoGlm(Add);
        return r;
    }

    private delegate void Registrar(string opType, ShapeInferenceFunction function, string domain = "");
}
