namespace AutoNet.Torch.Optim.Schedules;

/// <summary>
/// A learning-rate schedule stepped once per optimizer step, after <see cref="Optimizer.Step"/>. Construction sets
/// every group's rate for step 0; <see cref="Step"/> advances to the next step and sets the rates again. Rates come
/// from a closed form of the step count, so <see cref="StateDict"/> / <see cref="LoadStateDict"/> resume exactly.
/// </summary>
public abstract class LRScheduler
{
    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRates = optimizer.ParamGroups.Select(g => g.InitialLearningRate).ToArray();
    }

    public Optimizer Optimizer { get; }

    /// <summary>Steps taken so far (PyTorch's <c>last_epoch</c>); the current rates are for this step.</summary>
    public long StepCount { get; private set; }

    /// <summary>Each group's rate before scheduling (its <see cref="ParamGroup.InitialLearningRate"/>).</summary>
    public IReadOnlyList<double> BaseLearningRates { get; }

    /// <summary>The rates last written into the groups.</summary>
    public IReadOnlyList<double> LastLearningRates => Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

    public void Step()
    {
        StepCount++;
        Apply();
    }

    /// <summary>The rate of group <paramref name="group"/> at step <paramref name="step"/>.</summary>
    public abstract double LearningRateAt(int group, long step);

    public Dictionary<string, double> StateDict() => new(StringComparer.Ordinal) { ["step"] = StepCount };

    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue("step", out var step) || step < 0 || step != Math.Floor(step))
        {
            throw new ArgumentException("schedule state needs a non-negative integer \"step\"");
        }

        StepCount = (long)step;
        Apply();
    }

    /// <summary>Call at the end of a subclass constructor: sets the rates for step 0.</summary>
    protected void Apply()
    {
        for (var g = 0; g < Optimizer.ParamGroups.Count; g++)
        {
            Optimizer.ParamGroups[g].LearningRate = LearningRateAt(g, StepCount);
        }
    }
}
