using System.Collections.Concurrent;
using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;
using AutoNet.Store;
using AutoNet.Training;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// What <see cref="TrainingTrialRunner"/> trains for an assignment, read from the store: the trial's hyperparameters
/// JSON is the search sample, the experiment gives the space (its full JSON), the data source, the split and the
/// plan. The sample becomes a <see cref="TrialBlueprint"/>; its data is the experiment's decoded cache at the
/// sample's resolution (shared per process, see <see cref="ExperimentData"/>), with the test split and, for an
/// imbalanced data set, class weights. The trial's folder (checkpoint, predictions) is
/// <c>&lt;workspace&gt;/experiments/&lt;experiment&gt;/trials/&lt;number&gt;</c>, so a resumed or recovered run finds the checkpoint.
/// </summary>
/// <param name="store">the experiment store</param>
/// <param name="workspace">the folder of caches and trial folders</param>
/// <param name="transfer">where transfer trials find trained networks and packages (the CLI's package loader); null: weights files only</param>
/// <param name="inputs">on a PostgreSQL store, where a machine without the experiment's pretrained weights or package fetches them</param>
public sealed class TrialRequestFactory(IExperimentStore store, string workspace, TransferSources? transfer = null, Store.StoreInputShelf? inputs = null)
{
    private readonly ConcurrentDictionary<long, Experiment> experiments = new();
    private readonly ConcurrentDictionary<long, SearchSpace> spaces = new();

    public string Workspace { get; } = Path.GetFullPath(workspace);

    /// <summary>The folder of one trial of an experiment.</summary>
    public static string TrialDirectory(string workspace, string experimentName, long trialNumber) =>
        Path.Join(ExperimentDirectory(workspace, experimentName), "trials", trialNumber.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The folder of an experiment's files under a workspace (its name made safe for a file system).</summary>
    public static string ExperimentDirectory(string workspace, string experimentName)
    {
        ArgumentNullException.ThrowIfNull(experimentName);
        var safe = new string([.. experimentName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]).Trim('.');
        return Path.Join(Path.GetFullPath(workspace), "experiments", safe.Length == 0 ? "experiment" : safe);
    }

    /// <summary>The seed of one trial: the experiment's seed and the trial's number, mixed so neighbours differ in every bit.</summary>
    public static long TrialSeed(long experimentSeed, long trialNumber) =>
        unchecked((experimentSeed * 6364136223846793005L) + (trialNumber * 1442695040888963407L)) & long.MaxValue;

    /// <summary>Blocks on the store: the runner calls it on the trial's own training thread.</summary>
    public TrialRequest Create(TrialAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var trial = store.GetTrialAsync(assignment.TrialId).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"trial id {assignment.TrialId} is not in the store {store.Location}");
        var experiment = Experiment(trial.ExperimentId);
        var space = spaces.GetOrAdd(experiment.Id, _ => new SearchSpaceReader().Parse(experiment.SearchSpaceJson, $"experiment '{experiment.Name}' space"));
        var data = ExperimentData.For(experiment, Workspace);
        var sample = SearchSample.FromJson(trial.HyperparametersJson);
        var cache = data.Cache(SampleHyperparameters.Resolution(space, sample, data.Plan.Resolution));
        var sources = inputs is null ? transfer
            : (transfer ?? new TransferSources()) with { Locate = path => inputs.Locate(experiment.Id, ExperimentDirectory(Workspace, experiment.Name), path) };
        var blueprint = TrialBlueprint.FromSample(space, sample, cache.Channels, cache.ClassNames.Count, TrialSeed(experiment.Seed, trial.Number),
            data.Plan.Resolution, sources, finalTraining: trial.Role == TrialRole.Final);
        // Search trials may train on a subset (a quick search of a large data set); the final training takes everything.
        var trialData = trial.Role == TrialRole.Search && data.Plan.SearchTrainImages is { } images
            ? data.TrialData(blueprint.Resolution, images, experiment.Seed)
            : data.TrialData(blueprint.Resolution);
        return new TrialRequest(blueprint.BuildModel, trialData, blueprint.Hyperparameters,
            TrialDirectory(Workspace, experiment.Name, trial.Number), assignment.TargetEpoch)
        {
            Test = data.Test(blueprint.Resolution),
            SetDropPath = blueprint.SetDropPath,
        };
    }

    private Experiment Experiment(long id)
    {
        if (experiments.TryGetValue(id, out var known))
        {
            return known;
        }

        var summary = store.ListExperimentsAsync().GetAwaiter().GetResult().FirstOrDefault(s => s.Experiment.Id == id)
            ?? throw new InvalidOperationException($"experiment id {id} is not in the store {store.Location}");
        return experiments.GetOrAdd(id, summary.Experiment);
    }
}
