using TorchSharp;

namespace AutoNet.Torch.Schedules;

/// <summary>PyTorch's <c>StepLR</c>: <c>base * gamma^floor(step / stepSize)</c>.</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    public StepDecaySchedule(torch.optim.Optimizer optimizer, long stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    public long StepSize { get; }

    public double Gamma { get; }

    public override double LearningRateAt(int group, long step) => BaseLearningRates[group] * Math.Pow(Gamma, step / StepSize);
}
