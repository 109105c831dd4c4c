namespace AutoNet.Torch.NN;

/// <summary>Stochastic depth (timm's DropPath): drops whole samples of a residual branch in training; identity in eval.</summary>
public sealed class DropPath : Module
{
    public DropPath(double p = 0.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        P = p;
    }

    public double P { get; }

    public override Tensor Forward(Tensor input) => Functional.DropPath(input, P, IsTraining);
}
