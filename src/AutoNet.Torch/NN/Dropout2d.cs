namespace AutoNet.Torch.NN;

/// <summary>Zeroes whole channels with probability p in training, as torch.nn.Dropout2d; identity in eval.</summary>
public sealed class Dropout2d : Module
{
    public Dropout2d(double p = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        P = p;
    }

    public double P { get; }

    public override Tensor Forward(Tensor input) => Functional.Dropout2d(input, P, IsTraining);
}
