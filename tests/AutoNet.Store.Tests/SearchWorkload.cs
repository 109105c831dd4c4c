using System.Diagnostics;
using System.Globalization;

namespace AutoNet.Store.Tests;

/// <summary>
/// What a search does to the store, as a child process of the kill tests: add a trial, claim it, report each epoch,
/// write its checkpoint atomically and record it, finish it, save the strategy's state; again, until killed. Every
/// line it prints is an acknowledgement of a write the store returned from ("epoch 12 2 ms=3 ."), so whatever a kill
/// interrupts, each printed line must be found in the store afterwards. "begin" precedes each store write (a kill
/// then lands mid-write); with a slow checkpoint, "writing" says a checkpoint file is half written.
/// </summary>
internal static class SearchWorkload
{
    public const string ExperimentName = "kill-search";
    public const int Epochs = 3;
    public const int CheckpointBytes = Chunks * ChunkBytes;
    private const int Chunks = 16;
    private const int ChunkBytes = 16 * 1024;

    public static async Task RunAsync(string location, string folder, string worker, bool slowCheckpoint)
    {
        await using var store = await ExperimentStore.OpenAsync(location);
        var experiment = await store.GetExperimentAsync(ExperimentName) ?? await store.CreateExperimentAsync(Samples.Experiment(ExperimentName));
        // The test runs one writer at a time: a trial still Running belongs to the one it killed.
        await store.RequeueStaleTrialsAsync(TimeSpan.Zero, maxAttempts: 1000);
        while (true)
        {
            var trial = await Timed("claim", () => store.ClaimNextTrialAsync(experiment.Id, worker, "cpu"));
            if (trial is null)
            {
                var added = await Timed("add", () => store.AddTrialAsync(experiment.Id, Samples.Trial(Random.Shared.Next(1000))));
                Say("trial", added.Id, added.Number);
                continue;
            }

            var first = 1;
            if (Latest(await store.ListArtifactsAsync(trial.Id)) is { } checkpoint)
            {
                Say("resumed", trial.Id, EpochOf(checkpoint), AtomicFile.Matches(checkpoint) ? "intact" : "BROKEN");
                first = EpochOf(checkpoint) + 1;
            }

            for (var epoch = first; epoch <= Epochs; epoch++)
            {
                await Timed("epoch", () => store.ReportEpochAsync(trial.Id, worker, Samples.Epoch(epoch, Accuracy(trial.Id, epoch))));
                Say("epoch", trial.Id, epoch);
                var slow = slowCheckpoint && epoch >= 2;
                var digest = AtomicFile.Write(CheckpointPath(folder, trial.Id, epoch), s => WritePayload(s, trial.Id, epoch, slow));
                await Timed("checkpoint", () => store.AddArtifactAsync(trial.Id, digest.ToArtifact(ArtifactKind.Checkpoint)));
                Say("ckpt", trial.Id, epoch, digest.Sha256);
            }

            await Timed("finish", () => store.FinishTrialAsync(trial.Id, worker, TrialFinish.Completed(Accuracy(trial.Id, Epochs))));
            Say("finish", trial.Id);
            await Timed("state", () => store.SaveStrategyStateAsync(experiment.Id, BitConverter.GetBytes(trial.Id)));
            Say("state", trial.Id);
        }
    }

    public static string CheckpointPath(string folder, long trialId, int epoch) =>
        Path.Combine(folder, FormattableString.Invariant($"trial-{trialId}"), FormattableString.Invariant($"epoch-{epoch}.ckpt"));

    public static int EpochOf(Artifact checkpoint) =>
        int.Parse(Path.GetFileNameWithoutExtension(checkpoint.Path)["epoch-".Length..], CultureInfo.InvariantCulture);

    /// <summary>The trial's newest recorded checkpoint, the one a resume starts from.</summary>
    public static Artifact? Latest(IEnumerable<Artifact> artifacts) =>
        artifacts.Where(a => a.Kind == ArtifactKind.Checkpoint).MaxBy(EpochOf);

    public static double Accuracy(long trialId, int epoch) => ((trialId * 7 + epoch * 13) % 100) / 100.0;

    private static void WritePayload(Stream stream, long trialId, int epoch, bool slow)
    {
        var chunk = new byte[ChunkBytes];
        new Random(HashCode.Combine(trialId, epoch)).NextBytes(chunk);
        for (var i = 0; i < Chunks; i++)
        {
            stream.Write(chunk);
            if (slow)
            {
                stream.Flush();
                Say("writing", trialId, epoch);
                Thread.Sleep(200);
            }
        }
    }

    private static async Task<T> Timed<T>(string what, Func<Task<T>> write)
    {
        Console.WriteLine($"begin {what} .");
        var clock = Stopwatch.StartNew();
        var result = await write();
        Console.WriteLine(FormattableString.Invariant($"took {what} {clock.ElapsedMilliseconds} ."));
        return result;
    }

    private static Task<int> Timed(string what, Func<Task> write) => Timed(what, async () =>
    {
        await write();
        return 0;
    });

    private static void Say(params object[] fields) =>
        Console.WriteLine(string.Join(' ', fields.Select(f => Convert.ToString(f, CultureInfo.InvariantCulture))) + " .");
}
