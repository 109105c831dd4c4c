namespace AutoNet.Torch.NN;

/// <summary>tanh(x), as torch.nn.Tanh.</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input) => Functional.Tanh(input);
}
