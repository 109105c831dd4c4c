namespace AutoNet.Torch.NN;

/// <summary>max(0, x), as torch.nn.ReLU.</summary>
public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor input) => Functional.Relu(input);
}
