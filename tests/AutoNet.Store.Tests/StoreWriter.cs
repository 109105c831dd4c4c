namespace AutoNet.Store.Tests;

/// <summary>
/// What one child process does: opens the store (maybe fresh, racing the others to migrate), joins the
/// shared experiment, adds its trials, then claims and runs trials until none wait, printing each id it ran.
/// </summary>
internal static class StoreWriter
{
    public const string ExperimentName = "many-writers";
    public const int EpochsPerTrial = 3;

    public static async Task RunAsync(string location, string worker, int trialsToAdd)
    {
        await using var store = await ExperimentStore.OpenAsync(location);
        Experiment experiment;
        try
        {
            experiment = await store.CreateExperimentAsync(Samples.Experiment(ExperimentName));
        }
        catch (ExperimentStoreException)
        {
            experiment = (await store.GetExperimentAsync(ExperimentName))!;
        }

        for (var i = 0; i < trialsToAdd; i++)
        {
            await store.AddTrialAsync(experiment.Id, new NewTrial("{}", $"{worker}-{i}", "{}"));
        }

        while (await store.ClaimNextTrialAsync(experiment.Id, worker, "cpu") is { } trial)
        {
            for (var epoch = 1; epoch <= EpochsPerTrial; epoch++)
            {
                await store.ReportEpochAsync(trial.Id, worker, Samples.Epoch(epoch, 0.1 * epoch));
                await store.AddArtifactAsync(trial.Id, new NewArtifact(ArtifactKind.Checkpoint, $"t{trial.Id}.ckpt", epoch, new string('0', 64)));
            }

            await store.FinishTrialAsync(trial.Id, worker, TrialFinish.Completed(0.5));
            Console.WriteLine($"{trial.Id} .");
        }
    }
}
