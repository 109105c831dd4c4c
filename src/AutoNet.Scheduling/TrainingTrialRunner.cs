using System.Text.Json;
using System.Text.Json.Serialization;
using AutoNet.Training;
using AutoNet.Training.Evaluation;
using TorchSharp;

namespace AutoNet.Scheduling;

/// <summary>
/// The real trial runner: AutoNet.Training's <see cref="TrialRunner"/> on the job's slot, on a thread of its own
/// (training is synchronous and long), resuming from the trial's checkpoint, with each epoch passed to the job (which
/// stores it and returns the early-stopping decision). What a trial is — its network, data and hyperparameters — comes
/// from <paramref name="requestFactory"/>, the one place that reads the trial's genotype and the experiment's data,
/// so the scheduler stays ignorant of both. After an out-of-memory failure the retry trains at half the batch size.
/// With a <paramref name="shelf"/> (PostgreSQL: machines share no disk) the run first fetches the trial's checkpoint
/// when the store's is further along than the local one, and keeps every new checkpoint there before the epoch is
/// reported, so whichever worker runs the trial next resumes where this one stopped.
/// </summary>
public sealed class TrainingTrialRunner(Func<TrialAssignment, TrialRequest> requestFactory, Store.ICheckpointShelf? shelf = null) : ITrialRunner
{
    private static readonly JsonSerializerOptions MetricsJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public Task<TrialRunOutcome> RunAsync(TrialAssignment assignment, ITrialProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(progress);
        return Task.Factory.StartNew(() => Run(assignment, progress, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The request the trainer gets: the factory's, on the assignment's device and target, batch halved when asked.</summary>
    internal TrialRequest Request(TrialAssignment assignment)
    {
        var request = requestFactory(assignment);
        var hyperparameters = request.Hyperparameters;
        if (assignment.HalveBatch)
        {
            hyperparameters = hyperparameters with { BatchSize = Math.Max(1, hyperparameters.BatchSize / 2) };
        }

        var device = TorchDevices.Parse(assignment.Slot.Name);
        return request with
        {
            Hyperparameters = hyperparameters,
            TargetEpoch = Math.Min(assignment.TargetEpoch, hyperparameters.Epochs),
            Device = device,

            // cuDNN's convolutions are fastest on channels-last (NHWC) batches; the CPU keeps NCHW unless asked.
            ChannelsLast = request.ChannelsLast || device.type == DeviceType.CUDA,
        };
    }

    private TrialRunOutcome Run(TrialAssignment assignment, ITrialProgress progress, CancellationToken cancellationToken)
    {
        var request = Request(assignment);
        // The checkpoint of this epoch is on the local disk when the observer hears of it: keep it in the store first.
        void Keep(EpochMetrics metrics)
        {
            if (shelf is null || assignment.Owner is null)
            {
                return;
            }

            try
            {
                shelf.SaveAsync(assignment.TrialId, assignment.Owner, request.CheckpointDirectory, metrics.Epoch, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (AutoNet.Store.TrialOwnershipException)
            {
                // The trial was taken over: reporting the epoch finds that out and stops this run.
            }
        }

        shelf?.RestoreAsync(assignment.TrialId, request.CheckpointDirectory, CancellationToken.None).GetAwaiter().GetResult();
        var result = TrialRunner.Run(request, new ProgressObserver(progress, Keep), cancellationToken);
        var outcome = result.Outcome;
        return new TrialRunOutcome(outcome.EpochsCompleted, outcome.StopReason, outcome.History, result.Parameters,
            result.Test?.Accuracy, result.Test is null ? null : TestMetricsJson(result.Test, result.Latency));
    }

    /// <summary>The test metrics as stored with the trial, with the inference latency measured beside them (the dashboard plots accuracy against it).</summary>
    private static string TestMetricsJson(ClassificationMetrics test, InferenceLatency? latency)
    {
        var json = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(test, MetricsJson)!;
        if (latency is not null)
        {
            json["Latency"] = JsonSerializer.SerializeToNode(latency, MetricsJson);
        }

        return json.ToJsonString(MetricsJson);
    }

    private sealed class ProgressObserver(ITrialProgress progress, Action<EpochMetrics> keep) : ITrialObserver
    {
        public TrialDecision OnEpochCompleted(EpochMetrics metrics)
        {
            keep(metrics);
            return progress.OnEpochCompleted(metrics);
        }

        public void OnProgress(int epoch, int step, int stepsInEpoch)
        {
        }
    }
}
