using System.Runtime.InteropServices;
using AutoNet.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>
/// Runs a <see cref="TrialRequest"/> end to end: seed, build, train (resuming from the trial's checkpoint when
/// there is one), and when the full epoch budget is reached, evaluate on the test split and measure latency. A
/// failure surfaces as <see cref="TrialFailedException"/>; a model that cannot be built is an invalid configuration.
/// </summary>
public static class TrialRunner
{
    public static TrialResult Run(TrialRequest request, ITrialObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Directory.CreateDirectory(request.Directory);
        torch.manual_seed(request.Hyperparameters.Seed);
        nn.Module<Tensor, Tensor> model;
        try
        {
            model = request.BuildModel();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ExternalException)
        {
            throw new TrialFailedException(TrialFailureKind.InvalidConfiguration, $"the network could not be built: {e.Message}", e);
        }

        using (model)
        {
            var trainer = new TrialTrainer(model, request.Data, request.Hyperparameters, new TrialTrainerOptions
            {
                CheckpointDirectory = request.CheckpointDirectory,
                Device = request.Device,
                Observer = observer,
                SetDropPath = request.SetDropPath is null ? null : p => request.SetDropPath(model, p),
                ChannelsLast = request.ChannelsLast,
            });
            var outcome = trainer.Train(request.TargetEpoch, cancellationToken);
            var finished = outcome.StopReason == TrainingStopReason.ReachedTarget && outcome.EpochsCompleted == request.Hyperparameters.Epochs;
            if (!finished || request.Test is not { } test)
            {
                return new TrialResult(outcome, model.ParameterCount(), null, null, request.CheckpointDirectory, null);
            }

            var metrics = trainer.Evaluate(test.Images, test.Labels, request.PredictionsPath);
            var shape = request.Data.TrainImages.shape;
            var latency = LatencyMeter.Measure(model, shape[1], shape[2], shape[3], request.Device, request.Hyperparameters.BatchSize);
            return new TrialResult(outcome, model.ParameterCount(), metrics, latency, request.CheckpointDirectory, request.PredictionsPath);
        }
    }
}
