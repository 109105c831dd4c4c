namespace AutoNet.Torch.NN;

/// <summary>Gaussian error linear unit, as torch.nn.GELU; <c>tanhApproximation</c> is PyTorch's approximate='tanh'.</summary>
public sealed class GELU(bool tanhApproximation = false) : Module
{
    public bool TanhApproximation { get; } = tanhApproximation;

    public override Tensor Forward(Tensor input) => Functional.Gelu(input, TanhApproximation);
}
