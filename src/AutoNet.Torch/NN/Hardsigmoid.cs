namespace AutoNet.Torch.NN;

/// <summary>relu6(x + 3) / 6, as torch.nn.Hardsigmoid.</summary>
public sealed class Hardsigmoid : Module
{
    public override Tensor Forward(Tensor input) => Functional.Hardsigmoid(input);
}
