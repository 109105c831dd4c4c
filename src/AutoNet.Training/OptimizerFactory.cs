using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;
using AutoNet.Torch.Optim.Schedules;

namespace AutoNet.Training;

/// <summary>
/// Builds a trial's optimizer and schedule from its hyperparameters. Weight decay applies to weights of rank ≥ 2
/// (convolutions, linear layers) only: decaying biases and normalisation scales hurts small networks, the common
/// recipe of timm and the NAS papers' code. Frozen parameters (no gradient required) are left out.
/// </summary>
public static class OptimizerFactory
{
    public static Optimizer Create(Module model, TrainingHyperparameters hyperparameters, double learningRateScale = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var trainable = model.Parameters().Where(p => p.RequiresGrad).ToArray();
        if (trainable.Length == 0)
        {
            throw new TrialFailedException(TrialFailureKind.InvalidConfiguration, "the model has no trainable parameter (everything is frozen)");
        }

        return Create([(trainable, learningRateScale)], hyperparameters);
    }

    /// <summary>
    /// An optimizer over several parts of a model, each at its own multiple of the learning rate (a fine-tuned
    /// backbone below its new head), each split into decayed weights and undecayed biases and scales; empty parts
    /// are left out. The schedule scales every group from its own initial rate.
    /// </summary>
    public static Optimizer Create(IReadOnlyList<(IReadOnlyList<Tensor> Parameters, double LearningRateScale)> parts, TrainingHyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var groups = new List<ParamGroup>();
        foreach (var (parameters, scale) in parts)
        {
            var learningRate = hyperparameters.LearningRate * scale;
            var decayed = parameters.Where(p => p.Dim >= 2).ToArray();
            var plain = parameters.Where(p => p.Dim < 2).ToArray();
            if (decayed.Length > 0)
            {
                groups.Add(new ParamGroup(decayed, learningRate, hyperparameters.WeightDecay));
            }

            if (plain.Length > 0)
            {
                groups.Add(new ParamGroup(plain, learningRate, 0));
            }
        }

        if (groups.Count == 0)
        {
            throw new TrialFailedException(TrialFailureKind.InvalidConfiguration, "the model has no trainable parameter (everything is frozen)");
        }

        var baseRate = groups[0].LearningRate;
        return hyperparameters.Optimizer switch
        {
            OptimizerKind.Sgd => new SGD(groups, baseRate, momentum: hyperparameters.Momentum, weightDecay: hyperparameters.WeightDecay,
                nesterov: hyperparameters.Momentum > 0),
            OptimizerKind.AdamW => new AdamW(groups, baseRate, weightDecay: hyperparameters.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(hyperparameters), hyperparameters.Optimizer, "unknown optimizer"),
        };
    }

    /// <summary>The schedule over the trial's full budget: <paramref name="stepsPerEpoch"/> × epochs optimizer steps.</summary>
    public static LRScheduler CreateSchedule(Optimizer optimizer, TrainingHyperparameters hyperparameters, int stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        var total = (long)stepsPerEpoch * hyperparameters.Epochs;
        var warmup = (long)Math.Round(hyperparameters.WarmupEpochs * stepsPerEpoch);
        return hyperparameters.Schedule switch
        {
            LearningRateSchedule.Cosine => new WarmupCosineLR(optimizer, warmup, total),
            LearningRateSchedule.OneCycle => new OneCycleLR(optimizer, optimizer.ParamGroups.Select(g => g.InitialLearningRate).ToArray(), total,
                pctStart: warmup > 0 ? Math.Clamp((double)warmup / total, 0.05, 0.5) : 0.3),
            LearningRateSchedule.Constant => new WarmupCosineLR(optimizer, warmup, total, minFactor: 1),
            _ => throw new ArgumentOutOfRangeException(nameof(hyperparameters), hyperparameters.Schedule, "unknown schedule"),
        };
    }
}
