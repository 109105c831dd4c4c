namespace AutoNet.Torch.NN;

/// <summary>Zeroes elements with probability p in training and rescales the rest by 1/(1-p); identity in eval.</summary>
public sealed class Dropout : Module
{
    public Dropout(double p = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        P = p;
    }

    public double P { get; }

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, IsTraining);
}
