namespace AutoNet.Models.Architecture;

/// <summary>
/// The drop-path probability a network's <see cref="DropPathOp"/>s without a fixed probability use in training,
/// shared by the network's modules; DARTS raises it linearly over training.
/// </summary>
public sealed class DropPathSchedule
{
    public double Probability
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0.0);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, 1.0);
            field = value;
        }
    }
}
