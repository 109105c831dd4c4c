namespace AutoNet.Torch.Optim;

/// <summary>
/// Parameters that share a learning rate and weight decay, as a PyTorch <c>param_group</c>. The optimizer does
/// not own the parameter tensors; schedules change <see cref="LearningRate"/> between steps.
/// </summary>
public sealed class ParamGroup
{
    public ParamGroup(IEnumerable<Tensor> parameters, double? learningRate = null, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        LearningRate = learningRate ?? double.NaN;
        WeightDecay = weightDecay ?? double.NaN;
        InitialLearningRate = LearningRate;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate the next <see cref="Optimizer.Step"/> uses.</summary>
    public double LearningRate { get; set; }

    public double WeightDecay { get; set; }

    /// <summary>The learning rate the group started with (PyTorch's <c>initial_lr</c>); schedules scale it.</summary>
    public double InitialLearningRate { get; set; }
}
