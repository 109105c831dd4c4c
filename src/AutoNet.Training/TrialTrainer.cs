using System.Diagnostics;
using System.Runtime.InteropServices;
using AutoNet.Data.Loading;
using AutoNet.Models.Transfer;
using AutoNet.Torch.Safetensors;
using AutoNet.Training.Evaluation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using RateSchedule = AutoNet.Torch.Schedules.LearningRateSchedule;

namespace AutoNet.Training;

/// <summary>
/// Trains one trial's model on its data: epoch by epoch up to a target, validating and checkpointing after each
/// epoch, reporting to an observer that may pause or stop it, and resuming from the checkpoint when one exists —
/// so 2 epochs, then 2 more after a restart, equal 4 epochs straight through. Epoch e's batch order and
/// augmentation depend only on the seed and e, and the generator state is part of the checkpoint.
/// </summary>
public sealed class TrialTrainer
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly TrialData data;
    private readonly TrainingHyperparameters hyperparameters;
    private readonly TrialTrainerOptions options;

    public TrialTrainer(nn.Module<Tensor, Tensor> model, TrialData data, TrainingHyperparameters hyperparameters, TrialTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(options);
        hyperparameters.Validate();
        data.Validate();
        this.model = model;
        this.data = data;
        this.hyperparameters = hyperparameters;
        this.options = options;
        if (hyperparameters.HeadOnlyEpochs > 0 && model is not TransferNetwork)
        {
            throw new ArgumentException(
                $"training hyperparameter HeadOnlyEpochs = {hyperparameters.HeadOnlyEpochs} needs a TransferNetwork (a head on a pretrained feature extractor); this model is a {model.GetType().Name}");
        }

        Batches = new EpochBatches(data, hyperparameters, options.Device, options.ChannelsLast);
        model.to(options.Device);
    }

    /// <summary>Optimizer steps in one epoch.</summary>
    public int StepsPerEpoch => Batches.StepsPerEpoch;

    private EpochBatches Batches { get; }

    /// <summary>
    /// Trains until <paramref name="targetEpoch"/> epochs are complete (at most the budget), from the checkpoint if
    /// there is one. Throws <see cref="TrialFailedException"/> when the trial cannot go on (non-finite or diverging
    /// loss, out of memory); cancellation returns with the last completed epoch checkpointed.
    /// </summary>
    public TrainingOutcome Train(int targetEpoch, CancellationToken cancellationToken = default)
    {
        if (targetEpoch < 1 || targetEpoch > hyperparameters.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(targetEpoch), targetEpoch, $"expected 1..{hyperparameters.Epochs} (the trial's epoch budget)");
        }

        using var optimizer = CreateOptimizer();
        var schedule = OptimizerFactory.CreateSchedule(optimizer, hyperparameters, StepsPerEpoch);
        var history = new List<EpochMetrics>();
        var epoch = 0;
        if (TrainingCheckpoint.Exists(options.CheckpointDirectory))
        {
            var info = TrainingCheckpoint.Load(options.CheckpointDirectory, model, optimizer, schedule);
            epoch = info.Epoch;
            history.AddRange(info.History);
        }
        else
        {
            torch.manual_seed(hyperparameters.Seed);
        }

        var guard = new DivergenceGuard();
        while (epoch < targetEpoch)
        {
            EpochMetrics metrics;
            try
            {
                metrics = RunEpoch(epoch + 1, optimizer, schedule, guard, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new TrainingOutcome(epoch, TrainingStopReason.Cancelled, history);
            }

            epoch++;
            history.Add(metrics);
            TrainingCheckpoint.Save(options.CheckpointDirectory, model, optimizer, schedule,
                new CheckpointInfo(CheckpointInfo.CurrentFormat, epoch, schedule.StepCount, history.ToArray()));
            switch (options.Observer?.OnEpochCompleted(metrics) ?? TrialDecision.Continue)
            {
                case TrialDecision.Pause:
                    return new TrainingOutcome(epoch, TrainingStopReason.Paused, history);
                case TrialDecision.Stop:
                    return new TrainingOutcome(epoch, TrainingStopReason.Stopped, history);
            }
        }

        return new TrainingOutcome(epoch, TrainingStopReason.ReachedTarget, history);
    }

    /// <summary>
    /// Evaluates the model on a labelled set (the test split): every metric of <see cref="ClassificationMetrics"/>,
    /// and, when <paramref name="predictionsPath"/> is given, the probabilities and labels saved there (safetensors)
    /// for later analysis.
    /// </summary>
    public ClassificationMetrics Evaluate(Tensor images, Tensor labels, string? predictionsPath = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        var pass = Batches.Evaluate(model, images, labels, options.EvaluationBatchSize, TestTimeFlip);
        if (predictionsPath is not null)
        {
            using var probabilities = torch.tensor(pass.Probabilities, [labels.shape[0], data.ClassCount]);
            using var cpuLabels = labels.cpu();
            SafetensorsFile.Write(predictionsPath, new Dictionary<string, Tensor>
            {
                ["probabilities"] = probabilities,
                ["labels"] = cpuLabels,
            });
        }

        return ClassificationMetrics.Compute(pass.Probabilities, pass.Labels, data.ClassNames);
    }

    /// <summary>
    /// A transfer network gets one optimizer for the whole budget, built in its fine-tuning phase: the head at the
    /// learning rate, the unfrozen feature extractor at <see cref="TrainingHyperparameters.UnfreezeLearningRateMultiplier"/>
    /// times it. While only the head trains, the extractor has no gradients and the optimizer leaves it (and its
    /// state) untouched, so a checkpoint from either phase restores into this same layout.
    /// </summary>
    private OptimizerHelper CreateOptimizer()
    {
        if (model is not TransferNetwork transfer)
        {
            return OptimizerFactory.Create(model, hyperparameters);
        }

        transfer.SetPhase(TransferPhase.FineTune);
        return OptimizerFactory.Create(
            [
                ([.. transfer.HeadParameters()], 1.0),
                ([.. transfer.FineTunedBackboneParameters()], hyperparameters.UnfreezeLearningRateMultiplier),
            ], hyperparameters);
    }

    private bool TestTimeFlip => hyperparameters.TestTimeFlip && data.AllowHorizontalFlip;

    private EpochMetrics RunEpoch(int epoch, OptimizerHelper optimizer, RateSchedule schedule, DivergenceGuard guard, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        PeakMemory.Reset();
        model.train();
        if (model is TransferNetwork transfer)
        {
            transfer.SetPhase(epoch <= hyperparameters.HeadOnlyEpochs ? TransferPhase.HeadOnly : TransferPhase.FineTune);
        }

        if (hyperparameters.DropPath > 0)
        {
            options.SetDropPath?.Invoke(hyperparameters.DropPath * (epoch - 1) / hyperparameters.Epochs);
        }

        double lossSum = 0;
        long correct = 0, seen = 0;
        var learningRate = optimizer.ParamGroups.First().LearningRate;
        var step = 0;
        foreach (var batch in Batches.Train(epoch, cancellationToken))
        {
            using (batch)
            {
                using var scope = torch.NewDisposeScope();
                step++;
                learningRate = optimizer.ParamGroups.First().LearningRate;
                var (lossValue, hits) = TrainStep(batch, optimizer, epoch, step);
                guard.Observe(lossValue, epoch, step);
                schedule.Step();
                var size = batch.Labels.shape[0];
                lossSum += lossValue * size;
                correct += hits;
                seen += size;
            }

            if (step % Math.Max(1, options.ProgressEvery) == 0 || step == StepsPerEpoch)
            {
                options.Observer?.OnProgress(epoch, step, StepsPerEpoch);
            }
        }

        var validation = Batches.Evaluate(model, data.ValidationImages, data.ValidationLabels, options.EvaluationBatchSize, TestTimeFlip);
        return new EpochMetrics(epoch, lossSum / Math.Max(1, seen), (double)correct / Math.Max(1, seen), validation.Loss, validation.Accuracy,
            validation.Top5Accuracy, learningRate, clock.Elapsed.TotalSeconds, PeakMemory.ReadBytes());
    }

    /// <summary>One optimizer step; runs inside the caller's dispose scope, which frees what it makes.</summary>
    private (double Loss, long Hits) TrainStep(Batch batch, OptimizerHelper optimizer, int epoch, int step)
    {
        try
        {
            var logits = model.forward(batch.Images);
            var weight = data.ClassWeights is { } weights ? torch.tensor(weights.Select(w => (float)w).ToArray()).to(options.Device) : null;
            var loss = batch.CrossEntropy(logits, hyperparameters.LabelSmoothing, weight);
            var lossValue = (double)loss.item<float>();
            if (!double.IsFinite(lossValue))
            {
                return (lossValue, 0);
            }

            optimizer.zero_grad();
            loss.backward();
            if (hyperparameters.GradientClipNorm > 0)
            {
                nn.utils.clip_grad_norm_(model.parameters().Where(p => p.requires_grad), hyperparameters.GradientClipNorm);
            }

            optimizer.step();
            var hits = logits.argmax(1).eq(batch.Labels).sum();
            return (lossValue, hits.item<long>());
        }
        catch (ExternalException e) when (IsOutOfMemory(e.Message))
        {
            throw new TrialFailedException(TrialFailureKind.OutOfMemory,
                $"out of memory on {options.Device} at epoch {epoch}, step {step} with batch size {hyperparameters.BatchSize}", e);
        }
    }

    private static bool IsOutOfMemory(string message) =>
        message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase);
}
