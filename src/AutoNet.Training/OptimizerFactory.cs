using AutoNet.Torch.Optimizers;
using AutoNet.Torch.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>
/// Builds a trial's optimizer and schedule from its hyperparameters. Weight decay applies to weights of rank ≥ 2
/// (convolutions, linear layers) only: decaying biases and normalisation scales hurts small networks, the common
/// recipe of timm and the NAS papers' code. Frozen parameters (no gradient required) are left out.
/// </summary>
public static class OptimizerFactory
{
    public static OptimizerHelper Create(nn.Module model, TrainingHyperparameters hyperparameters, double learningRateScale = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var trainable = model.parameters().Where(p => p.requires_grad).ToArray();
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
    public static OptimizerHelper Create(IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double LearningRateScale)> parts, TrainingHyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var groups = new List<(Parameter[] Parameters, double LearningRate, double WeightDecay)>();
        foreach (var (parameters, scale) in parts)
        {
            var learningRate = hyperparameters.LearningRate * scale;
            var decayed = parameters.Where(p => p.dim() >= 2).ToArray();
            var plain = parameters.Where(p => p.dim() < 2).ToArray();
            if (decayed.Length > 0)
            {
                groups.Add((decayed, learningRate, hyperparameters.WeightDecay));
            }

            if (plain.Length > 0)
            {
                groups.Add((plain, learningRate, 0));
            }
        }

        if (groups.Count == 0)
        {
            throw new TrialFailedException(TrialFailureKind.InvalidConfiguration, "the model has no trainable parameter (everything is frozen)");
        }

        var baseRate = groups[0].LearningRate;
        return hyperparameters.Optimizer switch
        {
            OptimizerKind.Sgd => new FinalizerSafeSgd(
                groups.Select(g => new SGD.ParamGroup(g.Parameters, new SGD.Options { LearningRate = g.LearningRate, weight_decay = g.WeightDecay })),
                baseRate, momentum: hyperparameters.Momentum, weightDecay: hyperparameters.WeightDecay, nesterov: hyperparameters.Momentum > 0),
            OptimizerKind.AdamW => new FinalizerSafeAdamW(
                groups.Select(g => new AdamW.ParamGroup(g.Parameters, new AdamW.Options { LearningRate = g.LearningRate, weight_decay = g.WeightDecay })),
                baseRate, weightDecay: hyperparameters.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(hyperparameters), hyperparameters.Optimizer, "unknown optimizer"),
        };
    }

    /// <summary>The schedule over the trial's full budget: <paramref name="stepsPerEpoch"/> × epochs optimizer steps.</summary>
    public static AutoNet.Torch.Schedules.LearningRateSchedule CreateSchedule(optim.Optimizer optimizer, TrainingHyperparameters hyperparameters, int stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        var total = (long)stepsPerEpoch * hyperparameters.Epochs;
        var warmup = (long)Math.Round(hyperparameters.WarmupEpochs * stepsPerEpoch);
        return hyperparameters.Schedule switch
        {
            LearningRateSchedule.Cosine => new WarmupCosineSchedule(optimizer, warmup, total),
            LearningRateSchedule.OneCycle => new OneCycleSchedule(optimizer, optimizer.ParamGroups.Select(g => g.InitialLearningRate).ToArray(), total,
                pctStart: warmup > 0 ? Math.Clamp((double)warmup / total, 0.05, 0.5) : 0.3),
            LearningRateSchedule.Constant => new WarmupCosineSchedule(optimizer, warmup, total, minFactor: 1),
            _ => throw new ArgumentOutOfRangeException(nameof(hyperparameters), hyperparameters.Schedule, "unknown schedule"),
        };
    }
}
