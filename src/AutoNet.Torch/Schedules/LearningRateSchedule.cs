using TorchSharp;

namespace AutoNet.Torch.Schedules;

/// <summary>
/// A learning-rate schedule over a TorchSharp optimizer's parameter groups, stepped once per optimizer step (after
/// <c>optimizer.step()</c>). Construction sets every group's rate for step 0; <see cref="Step"/> advances and sets
/// them again. Rates are a closed form of the step count, so a resumed run only needs <see cref="StepCount"/> back
/// (<see cref="Restore"/>). TorchSharp's own <c>lr_scheduler</c>s compute rates incrementally from the previous
/// ones and cannot be put at step n without replaying n steps, hence these.
/// </summary>
public abstract class LearningRateSchedule
{
    private readonly torch.optim.ILearningRateController[] groups;

    protected LearningRateSchedule(torch.optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        groups = optimizer.ParamGroups.ToArray();
        if (groups.Length == 0)
        {
            throw new ArgumentException("the optimizer has no parameter group to schedule", nameof(optimizer));
        }

        BaseLearningRates = groups.Select(g => g.InitialLearningRate).ToArray();
    }

    public torch.optim.Optimizer Optimizer { get; }

    /// <summary>Steps taken so far (PyTorch's <c>last_epoch</c>); the current rates are for this step.</summary>
    public long StepCount { get; private set; }

    /// <summary>Each group's rate before scheduling (its initial learning rate when the schedule was made).</summary>
    public IReadOnlyList<double> BaseLearningRates { get; }

    /// <summary>The rates last written into the groups.</summary>
    public IReadOnlyList<double> LastLearningRates => groups.Select(g => g.LearningRate).ToArray();

    protected int GroupCount => groups.Length;

    public void Step()
    {
        StepCount++;
        Apply();
    }

    /// <summary>Puts the schedule at <paramref name="stepCount"/> steps (a resumed run) and sets the rates for it.</summary>
    public void Restore(long stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        StepCount = stepCount;
        Apply();
    }

    /// <summary>The rate of group <paramref name="group"/> at step <paramref name="step"/>.</summary>
    public abstract double LearningRateAt(int group, long step);

    /// <summary>Call at the end of a subclass constructor: sets the rates for the current step.</summary>
    protected void Apply()
    {
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g].LearningRate = LearningRateAt(g, StepCount);
        }
    }

    /// <summary>Sets group <paramref name="group"/>'s initial rate (a schedule that ignores the optimizer's own).</summary>
    protected void SetInitialLearningRate(int group, double rate) => groups[group].InitialLearningRate = rate;
}
