namespace OpenAutoGlm.Backends.Cpu.Tests;

/// <summary>Marks a test class as the reference test of one or more ops; the completeness test looks for it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class OpTestAttribute : Attribute
{
    public OpTestAttribute(string opType, string domain = "")
    {
        OpType = opType;
        Domain = domain;
    }

    public string OpType { get; }

    public string Domain { get; }
}
