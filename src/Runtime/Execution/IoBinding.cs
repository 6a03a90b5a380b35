using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// Inputs and output destinations bound once and reused by many runs, for callers that must not allocate per run
/// (like ONNX Runtime's IOBinding). Inputs are validated when bound; a caller may rewrite a bound input tensor's
/// elements between runs. An output is either bound by the caller (<see cref="BindOutput"/>: a tensor of the
/// output's dtype and exact shape, written in place) or left to the binding, which keeps the tensor of the first
/// run and overwrites it in later runs with the same shape (read it with <see cref="Output(string)"/> after each
/// run; copy it to keep it). A binding is used by one run at a time; runs of different bindings may overlap.
/// <code>
/// var binding = session.CreateBinding();
/// binding.BindInput("x", x);
/// session.Run(binding);                 // first run: plans the arena, allocates the outputs
/// session.Run(binding);                 // steady state: 0 bytes allocated on the managed heap
/// var y = binding.Output("y");
/// </code>
/// </summary>
public sealed class IoBinding
{
    private readonly DataValue?[] _inputs;
    private readonly DataValue?[] _outputs;
    private readonly bool[] _callerOwned;

    internal IoBinding(InferenceSession session)
    {
        Session = session;
        _inputs = new DataValue?[session.Model.Graph.Inputs.Count];
        _outputs = new DataValue?[session.Outputs.Count];
        _callerOwned = new bool[_outputs.Length];
    }

    public InferenceSession Session { get; }

    internal DataValue?[] Inputs => _inputs;

    internal DataValue?[] Outputs => _outputs;

    /// <summary>Binds <paramref name="value"/> (not copied) to the input <paramref name="name"/>.</summary>
    public void BindInput(string name, DataValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        int index = Session.InputIndex(name);
        InputValidation.Check(Session.Model.Graph.Inputs[index], value);
        _inputs[index] = value;
    }

    /// <summary>
    /// Binds a caller-owned destination for output <paramref name="name"/>: each run writes the output into it
    /// (directly when its producer allows, else by a copy). Its dtype and dims must be those the run produces.
    /// </summary>
    public void BindOutput(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        int index = OutputIndex(name);
        if (Session.Outputs[index].Type is TensorTypeInfo { ElementType: not DataType.Undefined } expected && expected.ElementType != tensor.DataType)
        {
            throw new InvalidInputException($"output '{name}': expected dtype {expected.ElementType.Name()}, got a {tensor.DataType.Name()} tensor");
        }

        _outputs[index] = tensor;
        _callerOwned[index] = true;
    }

    /// <summary>The value of output <paramref name="name"/> after the last run (the caller's bound tensor, or the binding's).</summary>
    public DataValue Output(string name) => _outputs[OutputIndex(name)] ?? throw new InvalidOperationException($"output '{name}' has no value yet: run the binding first");

    /// <summary>The value of output <paramref name="index"/> (in <see cref="InferenceSession.Outputs"/> order) after the last run.</summary>
    public DataValue Output(int index) => _outputs[index] ?? throw new InvalidOperationException($"output {index} has no value yet: run the binding first");

    internal void CheckComplete()
    {
        var graph = Session.Model.Graph;
        for (int i = 0; i < _inputs.Length; i++)
        {
            if (_inputs[i] is null && !graph.Initializers.ContainsKey(graph.Inputs[i].Name))
            {
                throw new InvalidInputException($"missing input '{graph.Inputs[i].Name}' ({graph.Inputs[i].Type}): bind it with BindInput");
            }
        }
    }

    /// <summary>
    /// Stores the run's value of output <paramref name="index"/>: nothing to do when the kernel wrote into the bound
    /// tensor, a copy when the shapes match, else the value itself when <paramref name="arenaOwned"/> (the arena gives
    /// its memory to the binding: returns true) or a copy of it (never keep a caller's input or a weight as a destination).
    /// </summary>
    internal bool Place(int index, DataValue value, bool arenaOwned)
    {
        var current = _outputs[index];
        if (ReferenceEquals(current, value))
        {
            return false;
        }

        if (current is Tensor dst && value is Tensor src && dst.DataType == src.DataType && dst.Dims.SequenceEqual(src.Dims))
        {
            if (src is StringTensor s)
            {
                s.Data.CopyTo(((StringTensor)dst).Data, 0);
            }
            else
            {
                src.AsBytes().CopyTo(dst.AsBytes());
            }

            return false;
        }

        if (_callerOwned[index])
        {
            string got = value is Tensor t ? $"{t.DataType.Name()}{t.ShapeString}" : value.Type.ToString();
            throw new InvalidInputException($"output '{Session.Outputs[index].Name}': the bound tensor is {((Tensor)current!).DataType.Name()}{((Tensor)current).ShapeString} but the run produced {got}");
        }

        if (!arenaOwned && value is Tensor own)
        {
            _outputs[index] = own.Clone();
            return false;
        }

        _outputs[index] = value;
        return arenaOwned;
    }

    private int OutputIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var outputs = Session.Outputs;
        for (int i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidInputException($"unknown output '{name}'; the model's outputs are: {string.Join(", ", outputs.Select(v => v.Name))}");
    }
}
