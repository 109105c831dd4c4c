namespace AutoNet.Torch.NN;

/// <summary>min(max(0, x), 6), as torch.nn.ReLU6 (MobileNet).</summary>
public sealed class ReLU6 : Module
{
    public override Tensor Forward(Tensor input) => Functional.Relu6(input);
}
