namespace AutoNet.Torch.NN;

/// <summary>x * relu6(x + 3) / 6, as torch.nn.Hardswish (MobileNetV3).</summary>
public sealed class Hardswish : Module
{
    public override Tensor Forward(Tensor input) => Functional.Hardswish(input);
}
