using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Tests;

/// <summary>The real runner under a real worker: a tiny network trains, pauses at a rung and resumes from its checkpoint.</summary>
public sealed class TrainingTrialRunnerTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly int previousThreads = torch.get_num_threads();

    public TrainingTrialRunnerTests() => torch.set_num_threads(1);

    [Fact]
    public async Task A_trial_trains_to_its_rung_then_resumes_from_the_checkpoint_to_completion()
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 96).Select(i => (long)(i % 2)).ToArray();
        // Class 1 images are bright, class 0 dark: learnable in a couple of epochs.
        var pixels = labels.SelectMany(l => Enumerable.Range(0, 64).Select(_ => (byte)(l == 1 ? random.Next(128, 256) : random.Next(0, 128)))).ToArray();
        using var images = torch.tensor(pixels, [96, 1, 8, 8]);
        using var targets = torch.tensor(labels, [96]);
        using var trainImages = images.narrow(0, 0, 64);
        using var trainLabels = targets.narrow(0, 0, 64);
        using var validationImages = images.narrow(0, 64, 32);
        using var validationLabels = targets.narrow(0, 64, 32);
        var data = new TrialData(trainImages, trainLabels, validationImages, validationLabels, ["dark", "bright"], [0.5], [0.29]);
        var hyperparameters = new TrainingHyperparameters { Epochs = 2, BatchSize = 16, WarmupEpochs = 0, Seed = 7 };
        var folder = Path.Combine(database.Directory, "trials");
        var runner = new TrainingTrialRunner(a => new TrialRequest(
            () => nn.Sequential(nn.Flatten(), nn.Linear(64, 2)), data, hyperparameters, Path.Combine(folder, $"{a.TrialId}"), a.TargetEpoch)
        {
            Test = (validationImages, validationLabels),
        });
        var ledger = new InMemoryTrialLedger();
        await using var worker = new TrialWorker(Workers.Options(database, "w1", slots: 1) with { Slots = [new DeviceSlot("cpu")] }, ledger, runner);
        await worker.StartAsync();
        var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", "linear", "{}", MaxEpochs: 2), default);

        await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: 1, maxEpochs: 2, Jobs.TrialQueues.Cpu);
        var row = Assert.Single(ledger.Rows());
        await WaitAsync(() => row.EpochsDone == 1 && row.Owner is null);
        Assert.Null(row.End);
        var firstEpoch = row.Epochs[1];
        await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: 2, maxEpochs: 2, Jobs.TrialQueues.Cpu);
        await Workers.WaitAllEndedAsync(ledger, TimeSpan.FromSeconds(60));

        Assert.Equal(TrialEndState.Completed, row.End!.State);
        Assert.Equal([1, 2], row.Epochs.Keys.Order());
        Assert.Equal(firstEpoch, row.Epochs[1]);
        Assert.NotNull(row.End.TestAccuracy);
        Assert.Contains("\"Accuracy\"", row.End.TestMetricsJson);
        Assert.True(File.Exists(Path.Combine(folder, $"{id}", "test-predictions.safetensors")));
    }

    [Fact]
    public void The_retry_after_running_out_of_memory_trains_at_half_the_batch_size_on_the_slot_device()
    {
        var runner = new TrainingTrialRunner(a => new TrialRequest(() => nn.Linear(1, 1), null!, new TrainingHyperparameters { BatchSize = 96, Epochs = 5 }, "x", 9));

        var first = runner.Request(new TrialAssignment(1, 1, 1, TargetEpoch: 3, MaxEpochs: 5, HalveBatch: false, Attempt: 1, new DeviceSlot("cpu")));
        var retry = runner.Request(new TrialAssignment(1, 1, 1, TargetEpoch: 3, MaxEpochs: 5, HalveBatch: true, Attempt: 2, new DeviceSlot("cuda:1")));

        Assert.Equal(96, first.Hyperparameters.BatchSize);
        Assert.Equal(3, first.TargetEpoch);
        Assert.Equal((DeviceType.CPU, -1), (first.Device.type, first.Device.index));
        Assert.Equal(48, retry.Hyperparameters.BatchSize);
        Assert.Equal((DeviceType.CUDA, 1), (retry.Device.type, retry.Device.index));
        Assert.False(first.ChannelsLast);
        Assert.True(retry.ChannelsLast);
    }

    public void Dispose()
    {
        torch.set_num_threads(previousThreads);
        database.Dispose();
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
