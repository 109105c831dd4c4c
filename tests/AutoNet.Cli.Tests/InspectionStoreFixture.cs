using AutoNet.Models.Genotypes;
using AutoNet.Store;

namespace AutoNet.Cli.Tests;

/// <summary>
/// A SQLite store filled by hand through <see cref="IExperimentStore"/> (no training): "alpha", a cell-space experiment with
/// completed, pruned and failed trials, "beta", a macro-space experiment, "empty" with no trials and "idle" with one trial still waiting. The expected figures in the tests are worked
/// out from the epochs written here.
/// </summary>
public sealed class InspectionStoreFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "autonet-inspection-" + Guid.NewGuid().ToString("N"));

    public string StorePath => Path.Combine(Folder, "autonet.db");

    public static Genotype AlphaGenotype => PublishedGenotypes.DartsV2;

    public const string BetaArchitecture = """{"arch/depth":3,"arch/width":16}""";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        await using var store = await ExperimentStore.OpenAsync(StorePath);
        var alpha = await store.CreateExperimentAsync(new NewExperiment("alpha", "fashion-mnist", "{}", "darts-cell", "{}", "random", "asha", """{"maxTrials":4}""", 1));
        const string alphaSample = """{"hp/batch_size":64,"hp/learning_rate":0.05,"hp/optimizer":"sgd","normal/op_0_0":"sep_conv_3x3"}""";
        var genotype = AlphaGenotype;
        await AddAsync(store, alpha.Id, genotype.ToCanonicalJson(), genotype.Hash, alphaSample, [(0.50, 10), (0.70, 12)], TrialFinish.Completed(0.68, """{"accuracy":0.68,"top5":0.97}"""), 1000, 5000);
        await AddAsync(store, alpha.Id, genotype.ToCanonicalJson(), genotype.Hash, alphaSample.Replace("0.05", "0.1", StringComparison.Ordinal), [(0.40, 8)], TrialFinish.Pruned("asha rung 1"));
        await AddAsync(store, alpha.Id, genotype.ToCanonicalJson(), genotype.Hash, alphaSample.Replace("0.05", "0.2", StringComparison.Ordinal), [(0.60, 9), (0.80, 11), (0.75, 10)], TrialFinish.Completed(0.78));
        await AddAsync(store, alpha.Id, genotype.ToCanonicalJson(), genotype.Hash, alphaSample.Replace("0.05", "0.3", StringComparison.Ordinal), [], TrialFinish.Failed("CUDA out of memory"));
        await store.SetExperimentStateAsync(alpha.Id, ExperimentState.Completed);

        var beta = await store.CreateExperimentAsync(new NewExperiment("beta", "fashion-mnist", "{}", "macro-cnn", "{}", "evolution", "fifo", """{"timeBudgetSeconds":3600}""", 2));
        await AddAsync(store, beta.Id, BetaArchitecture, "b1", """{"arch/depth":3,"hp/learning_rate":0.01}""", [(0.55, 5), (0.65, 5)], TrialFinish.Completed(0.60));
        await AddAsync(store, beta.Id, BetaArchitecture, "b2", """{"arch/depth":3,"hp/learning_rate":0.02}""", [(0.72, 6)], TrialFinish.Completed(0.70));
        await AddAsync(store, beta.Id, BetaArchitecture, "b3", """{"arch/depth":3,"hp/learning_rate":0.03}""", [(0.30, 4)], TrialFinish.Completed());

        await store.CreateExperimentAsync(new NewExperiment("empty", "fashion-mnist", "{}", "macro-cnn", "{}", "random", "fifo", "{}", 3));
        var idle = await store.CreateExperimentAsync(new NewExperiment("idle", "fashion-mnist", "{}", "macro-cnn", "{}", "random", "fifo", "{}", 4));
        await store.AddTrialAsync(idle.Id, new NewTrial(BetaArchitecture, "i1", """{"arch/depth":3}"""));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task AddAsync(IExperimentStore store, long experimentId, string genotypeJson, string genotypeHash, string sample,
        (double Accuracy, double Seconds)[] epochs, TrialFinish finish, long? parameters = null, long? flops = null)
    {
        var added = await store.AddTrialAsync(experimentId, new NewTrial(genotypeJson, genotypeHash, sample, parameters, flops));
        var claimed = await store.ClaimTrialAsync(added.Id, "worker-a", "cpu", TimeSpan.FromHours(1)) ?? throw new InvalidOperationException("claim failed");
        for (var i = 0; i < epochs.Length; i++)
        {
            await store.ReportEpochAsync(claimed.Id, "worker-a", new EpochMetrics(i + 1, 2.0 - i, 1.5 - (0.25 * i), epochs[i].Accuracy, 0.9, 0.05, epochs[i].Seconds));
        }

        await store.FinishTrialAsync(claimed.Id, "worker-a", finish);
    }
}
