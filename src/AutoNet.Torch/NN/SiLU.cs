namespace AutoNet.Torch.NN;

/// <summary>x * sigmoid(x), as torch.nn.SiLU (swish).</summary>
public sealed class SiLU : Module
{
    public override Tensor Forward(Tensor input) => Functional.Silu(input);
}
