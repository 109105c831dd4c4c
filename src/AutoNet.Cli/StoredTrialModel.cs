using System.Globalization;
using AutoNet.Data.Splits;
using AutoNet.Export.Onnx;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Experiments;
using AutoNet.Store;
using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli;

/// <summary>
/// A stored trial's trained network, rebuilt as the search built it (<see cref="TrialRequestFactory"/>: the sample,
/// the experiment's space, split, plan and decoded cache) with the weights of its last checkpoint, for `autonet
/// export` and `autonet evaluate &lt;trial|best&gt;`. The trial is named by its number in the experiment (as the
/// leaderboard shows it) or by <c>best</c> (<see cref="SearchWinner"/>: the completed final training, else the best
/// completed trial, else the best checkpointed one, said so).
/// </summary>
public sealed class StoredTrialModel : IDisposable
{
    public const string Best = "best";

    private StoredTrialModel(Experiment experiment, Trial trial, TrialRequest request, ExperimentData data, nn.Module<Tensor, Tensor> model, string checkpointDirectory)
    {
        Experiment = experiment;
        Trial = trial;
        Request = request;
        Data = data;
        Model = model;
        CheckpointDirectory = checkpointDirectory;
    }

    public Experiment Experiment { get; }

    public Trial Trial { get; }

    /// <summary>What the trial trained on and with (hyperparameters, trial data, test split).</summary>
    public TrialRequest Request { get; }

    /// <summary>The experiment's images in this process (listing, split, caches).</summary>
    public ExperimentData Data { get; }

    /// <summary>The network with the checkpoint's weights, on the CPU, in eval mode.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    public string CheckpointDirectory { get; }

    public IReadOnlyList<string> ClassNames => Request.Data.ClassNames;

    /// <summary>The cache resolution the trial trained at.</summary>
    public int Resolution => (int)Request.Data.TrainImages.shape[2];

    /// <summary>The input as training fed it: the cache's resolution, channels, image fit and mean/std on the 0–1 pixel scale.</summary>
    public OnnxPreprocessing Preprocessing
    {
        get
        {
            var shape = Request.Data.TrainImages.shape;
            return new OnnxPreprocessing((int)shape[2], (int)shape[3], shape[1] == 1 ? OnnxChannelOrder.Grayscale : OnnxChannelOrder.Rgb,
                [.. Request.Data.Mean], [.. Request.Data.Std])
            {
                Fit = Data.Cache(Resolution).Metadata.Fit,
            };
        }
    }

    /// <summary>Whether the search scored the test split with the test-time flip (the trainer's rule).</summary>
    public bool TestTimeFlip => Request.Hyperparameters.TestTimeFlip && Request.Data.AllowHorizontalFlip;

    /// <summary>Whether <paramref name="argument"/> names a stored trial (a number or <c>best</c>) rather than a folder.</summary>
    public static bool IsTrialReference(string argument) =>
        !Directory.Exists(argument)
        && (argument.Equals(Best, StringComparison.OrdinalIgnoreCase) || long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    /// <summary>The experiment called <paramref name="name"/>, or the most recent one when it is null.</summary>
    public static async Task<Experiment> ExperimentAsync(IExperimentStore store, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (name is not null)
        {
            return await CliStore.ExperimentAsync(store, name, cancellationToken).ConfigureAwait(false);
        }

        var all = await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false);
        return all.Count == 0 ? throw new CliException($"the store {store.Location} has no experiments yet; run `autonet search`") : all[^1].Experiment;
    }

    /// <summary>The trial <paramref name="reference"/> names in <paramref name="experiment"/>, or a <see cref="CliException"/> saying why not.</summary>
    public static async Task<Trial> TrialAsync(IExperimentStore store, Experiment experiment, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(experiment);
        if (reference.Equals(Best, StringComparison.OrdinalIgnoreCase))
        {
            var winner = SearchWinner.Choose(await store.ListTrialsAsync(experiment.Id, cancellationToken: cancellationToken).ConfigureAwait(false))
                ?? throw new CliException($"experiment '{experiment.Name}' has no trial with a validation score yet; there is no best one");
            if (winner.Kind == WinnerKind.BestPruned)
            {
                // Said on stderr so that --json output stays one document; the model card records the trial's state too.
                await Console.Error.WriteLineAsync($"note: 'best' of '{experiment.Name}' is {winner.Describe()}").ConfigureAwait(false);
            }

            return winner.Trial;
        }

        if (!long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new CliException($"trial '{reference}': expected a trial number (as the leaderboard shows it) or 'best'");
        }

        var trials = await store.ListTrialsAsync(experiment.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return trials.FirstOrDefault(t => t.Number == number)
            ?? throw new CliException($"experiment '{experiment.Name}' has no trial {number}; it has trials 1 to {trials.Count}");
    }

    /// <summary>
    /// Finds the trial, checks it has a checkpoint, and rebuilds its network with the checkpoint's weights. Nothing
    /// is written (the experiment's decoded cache is built under the workspace only if it is missing).
    /// </summary>
    public static async Task<StoredTrialModel> OpenAsync(IExperimentStore store, string? experimentName, string reference, string workspace,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var experiment = await ExperimentAsync(store, experimentName, cancellationToken).ConfigureAwait(false);
        var trial = await TrialAsync(store, experiment, reference, cancellationToken).ConfigureAwait(false);
        var checkpoint = Path.Join(TrialRequestFactory.TrialDirectory(workspace, experiment.Name, trial.Number), "checkpoint");
        if (TrainingWorkers.CheckpointShelf(store) is { } shelf)
        {
            // Trained on another machine: the store keeps its checkpoint, which this workspace may not have yet.
            await shelf.RestoreAsync(trial.Id, checkpoint, cancellationToken).ConfigureAwait(false);
        }

        if (!TrainingCheckpoint.Exists(checkpoint))
        {
            throw new CliException($"trial {trial.Number} of '{experiment.Name}' ({trial.State}, {trial.EpochsDone} epochs) has no checkpoint at {checkpoint}: "
                + "it never completed an epoch here, or the workspace is not the one the search used (--workspace)");
        }

        var (data, request, model) = CliStore.ReadStored(store, $"trial {trial.Number} of '{experiment.Name}'", () =>
        {
            var data = ExperimentData.For(experiment, workspace);
            var request = new TrialRequestFactory(store, workspace, TransferBackbone.Sources, TrainingWorkers.InputShelf(store)).Create(
                new TrialAssignment(experiment.Id, trial.Id, (int)trial.Number, 1, 1, false, 1, new DeviceSlot("cpu")));
            return (data, request, request.BuildModel());
        });
        try
        {
            TrainingCheckpoint.LoadWeights(checkpoint, model);
            model.eval();
            return new StoredTrialModel(experiment, trial, request, data, model, checkpoint);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The test split's images (uint8 [N, C, H, W]), labels and file paths, or a <see cref="CliException"/> when the split has none.</summary>
    public (Tensor Images, int[] Labels, IReadOnlyList<string> Paths) TestSplit()
    {
        if (Request.Test is not { } test)
        {
            throw new CliException($"experiment '{Experiment.Name}' has no test split to evaluate on; use a model package and --data instead");
        }

        var paths = Data.Listing.Samples.ToDictionary(s => s.Key, s => s.ItemIndex >= 0 ? $"{s.Path}#{s.ItemIndex}" : s.Path, StringComparer.Ordinal);
        var keys = Data.Cache(Resolution).Keys(SplitPart.Test);
        return (test.Images, [.. test.Labels.data<long>().ToArray().Select(l => (int)l)], [.. keys.Select(k => paths[k])]);
    }

    public void Dispose() => Model.Dispose();
}
