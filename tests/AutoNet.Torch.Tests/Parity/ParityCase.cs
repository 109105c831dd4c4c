namespace AutoNet.Torch.Tests.Parity;

/// <summary>
/// One op checked against PyTorch: how to build its inputs (seeded, in C#), and how to run it in C#. The python
/// side (Reference/ops_reference.py) runs the op of the same name on the same bytes.
/// </summary>
public sealed record ParityCase(string Name, Action<CaseInputs> Build, Func<CaseInputs, Tensor[]> Forward)
{
    /// <summary>When set, both sides call manual_seed(ForwardSeed) right before the op (random ops).</summary>
    public long? ForwardSeed { get; init; }

    /// <summary>Also compare the outputs' strides (memory layout), not only their values.</summary>
    public bool CompareStrides { get; init; }

    /// <summary>The op must fail on both sides; the C# exception must carry libtorch's message.</summary>
    public bool ExpectError { get; init; }

    public override string ToString() => Name;
}
