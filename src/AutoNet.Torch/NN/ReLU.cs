namespace AutoNet.Torch.NN;

/// <summary>max(0, x), as torch.nn.ReLU; <paramref name="inplace"/> overwrites the input to save memory.</summary>
public sealed class ReLU(bool inplace = false) : Module
{
    public bool Inplace { get; } = inplace;

    public override Tensor Forward(Tensor input) => Inplace ? Functional.Relu_(input) : Functional.Relu(input);
}
