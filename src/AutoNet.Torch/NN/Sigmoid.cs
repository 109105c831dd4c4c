namespace AutoNet.Torch.NN;

/// <summary>1 / (1 + exp(-x)), as torch.nn.Sigmoid.</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor input) => Functional.Sigmoid(input);
}
