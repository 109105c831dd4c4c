namespace AutoNet.Torch.Tests.Parity;

/// <summary>The named input tensors of a case; floating tensors added by <see cref="Randn"/>/<see cref="Leaf"/> get gradients.</summary>
public sealed class CaseInputs
{
    private readonly List<(string Name, Tensor Tensor)> tensors = new();
    private readonly HashSet<string> withGrad = new();

    public IReadOnlyList<(string Name, Tensor Tensor)> All => tensors;

    public bool NeedsGrad(string name) => withGrad.Contains(name);

    public Tensor this[string name] => tensors.First(t => t.Name == name).Tensor;

    /// <summary>A standard-normal leaf that requires grad.</summary>
    public CaseInputs Randn(string name, params long[] shape) => Leaf(name, Torch.Randn(shape));

    /// <summary>A leaf built from <paramref name="value"/> (computed without grad) that requires grad.</summary>
    public CaseInputs Leaf(string name, Tensor value)
    {
        var leaf = value.Detach();
        leaf.RequiresGrad_();
        tensors.Add((name, leaf));
        withGrad.Add(name);
        return this;
    }

    /// <summary>An input without gradient (indices, masks, targets, running statistics).</summary>
    public CaseInputs Const(string name, Tensor value)
    {
        tensors.Add((name, value));
        return this;
    }
}
