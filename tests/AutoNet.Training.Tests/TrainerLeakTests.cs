using AutoNet.Torch;

namespace AutoNet.Training.Tests;

/// <summary>
/// The trainer keeps no tensor per step: the live count (TorchSharp's, process-wide; this assembly runs one test at
/// a time) is the same at the end of every epoch of a long run, and after evaluation as before it.
/// </summary>
public sealed class TrainerLeakTests : IDisposable
{
    private readonly string workspace = Path.Combine(Path.GetTempPath(), $"autonet-trainer-leak-{Guid.NewGuid():N}");

    [Fact]
    public void Hundreds_of_steps_checkpoints_and_evaluations_leave_the_live_tensor_count_flat()
    {
        using var data = FashionMnistSubset.Load(train: 400, validation: 100);
        TorchSharp.torch.manual_seed(4);
        using var model = FashionMnistSubset.SmallCnn();
        var counts = new List<long>();
        var observer = new CountingObserver(counts);
        // Mixup and cutmix on (strength 1), class weights and flip-averaged validation: every per-step path runs.
        var trial = data.Trial with { ClassWeights = Enumerable.Repeat(1.0, 10).ToArray() };
        var hyperparameters = new TrainingHyperparameters { Epochs = 6, BatchSize = 8, AugmentStrength = 1, Seed = 2, Schedule = LearningRateSchedule.OneCycle };
        var trainer = new TrialTrainer(model, trial, hyperparameters, new TrialTrainerOptions { CheckpointDirectory = workspace, Observer = observer });

        var outcome = trainer.Train(6);
        var beforeEvaluation = TorchEngine.CountLiveTensors();
        trainer.Evaluate(data.ValidationImages, data.ValidationLabels, Path.Combine(workspace, "predictions.safetensors"));

        Assert.Equal(6, outcome.EpochsCompleted);
        Assert.Equal(6 * 50, 6 * trainer.StepsPerEpoch);
        // The optimizer's momentum buffers are made in the first step and kept; nothing else may accumulate.
        Assert.All(counts, c => Assert.Equal(counts[0], c));
        Assert.Equal(beforeEvaluation, TorchEngine.CountLiveTensors());
    }

    public void Dispose()
    {
        if (Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    private sealed class CountingObserver(List<long> counts) : ITrialObserver
    {
        public TrialDecision OnEpochCompleted(EpochMetrics metrics)
        {
            counts.Add(TorchEngine.CountLiveTensors());
            return TrialDecision.Continue;
        }

        public void OnProgress(int epoch, int step, int stepsInEpoch)
        {
        }
    }
}
