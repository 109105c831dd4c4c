using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutoNet.Data.Cache;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Experiments;
using AutoNet.Experiments.ProxyRanking;
using AutoNet.Scheduling.Experiments;
using AutoNet.Scheduling.Trials;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Torch;
using AutoNet.Training;
using AutoNet.Training.Proxies;
using TorchSharp;

// How well each zero-cost proxy ranks architectures of one space, against the validation accuracy the same
// architectures reach when trained stand-alone (the trainer's default recipe, fixed epochs, on a stratified subset of
// Fashion-MNIST's training split; validation on part of the validation split). Architectures are seeded random draws
// of the space within its bounds; their searched hyperparameters are ignored, so only the architecture differs.
// Also measures the cost of one score per proxy over a pool of random draws. With --supernet-seconds N, a weight-sharing
// supernet (the one-shot strategy's) is trained on the same images for N seconds first and judges every architecture
// too. With --reuse, the architectures and accuracies of an earlier run's file are read instead of trained again, and
// only the scores are computed. Writes experiments/proxies/results/ranking-<space>.json (rewritten after every
// architecture, so a long run can be cut short).
var spaceName = ExperimentArguments.Text("--space", "macro-cnn")!;
var count = ExperimentArguments.Int("--archs", 30);
var trainImages = ExperimentArguments.Int("--train-images", 10_000);
var validationImages = ExperimentArguments.Int("--validation-images", 5_000);
var epochs = ExperimentArguments.Int("--epochs", 2);
var threads = ExperimentArguments.Int("--threads", 2);
var seed = ExperimentArguments.Int("--seed", 0);
var timingPool = ExperimentArguments.Int("--timing-pool", 200);
var supernetSeconds = ExperimentArguments.Int("--supernet-seconds", 0);
var reuse = Environment.GetCommandLineArgs().Contains("--reuse");
var root = ExperimentArguments.RepositoryRoot();
var output = Path.Combine(root, "experiments", "proxies", "results", $"ranking-{spaceName}.json");

TorchEngine.Initialize(threads);
var workspace = Path.Combine(root, "artifacts", "proxies-workspace");
var listing = BuiltInDataSets.Open(BuiltInDataSets.FashionMnistName);
var split = new StratifiedSplitter(seed: 0).Split(listing);
var cache = DecodedCache.Open(workspace, listing, split, new DecodedCacheSettings(28, 28) { Threads = threads });
using var allTrain = cache.Images(SplitPart.Train);
using var allTrainLabels = cache.Labels(SplitPart.Train);
using var allValidation = cache.Images(SplitPart.Validation);
using var allValidationLabels = cache.Labels(SplitPart.Validation);
using var trainIndex = torch.tensor(ExperimentData.StratifiedSubset(allTrainLabels.data<long>().ToArray(), trainImages, seed));
using var validationIndex = torch.tensor(ExperimentData.StratifiedSubset(allValidationLabels.data<long>().ToArray(), validationImages, seed));
var data = new TrialData(allTrain.index_select(0, trainIndex), allTrainLabels.index_select(0, trainIndex),
    allValidation.index_select(0, validationIndex), allValidationLabels.index_select(0, validationIndex), cache.ClassNames, cache.Mean, cache.Std);
var space = SearchSpaceCatalog.Default.Resolve(spaceName);
var guard = new ComplexityGuard(space, cache.Channels, cache.ClassNames.Count, 28, 28);
var proxies = Enum.GetValues<ZeroCostProxy>();
var scorers = proxies.ToDictionary(p => p, p => new ZeroCostScorer(space, guard, data, p, seed, 28));
var earlier = reuse && File.Exists(output)
    ? JsonSerializer.Deserialize<Saved>(File.ReadAllText(output), new JsonSerializerOptions { PropertyNameCaseInsensitive = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!
    : null;
if (earlier is not null && (earlier.TrainImages != data.TrainLabels.shape[0] || earlier.ValidationImages != data.ValidationLabels.shape[0] || earlier.Seed != seed))
{
    throw new ArgumentException($"{output} was measured on {earlier.TrainImages} training / {earlier.ValidationImages} validation images with seed {earlier.Seed}; pass the same --train-images, --validation-images and --seed to reuse it");
}

using var supernet = supernetSeconds > 0
    ? new SupernetScorer(space, guard, data, seed, 28, new SupernetBudget(TimeSpan.FromSeconds(supernetSeconds), null), evaluationImages: validationImages)
    {
        Progress = line => Console.WriteLine("  " + line),
    }
    : null;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{spaceName}: {count} architectures, {data.TrainLabels.shape[0]} training / {data.ValidationLabels.shape[0]} validation images, {epochs} epochs each, {threads} threads; load {Load()}"));

// The cost of one score: a pool of random draws, as the proxy strategy's warm-up scores them (kept from the earlier run when reusing one).
if (earlier is not null)
{
    timingPool = 0;
}

var timingRandom = new SearchRandom(seed + 1);
var pool = Enumerable.Range(0, timingPool).Select(_ => space.Sample(timingRandom)).ToArray();
var costs = earlier?.MsPerScore ?? new Dictionary<string, double>();

foreach (var proxy in pool.Length > 0 ? proxies : [])
{
    var clock = Stopwatch.StartNew();
    var scored = pool.Count(s => scorers[proxy].Score(s) is not null);
    costs[ZeroCostProxies.Name(proxy)] = clock.Elapsed.TotalMilliseconds / pool.Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {ZeroCostProxies.Name(proxy),-8} {clock.Elapsed.TotalMilliseconds / pool.Length,8:F1} ms per draw ({scored} of {pool.Length} within bounds)"));
}

if (supernet is not null)
{
    supernet.Train();
}

var random = new SearchRandom(seed);
var rows = new List<Row>();
var seen = new HashSet<string>(StringComparer.Ordinal);
foreach (var saved in earlier?.Architectures.Take(count) ?? [])
{
    var sample = SearchSample.FromJson(saved.Sample);
    // The same seed draws these networks first again: they are skipped, so a cut-short run goes on where it stopped.
    seen.Add(sample.Hash);
    var scores = new Dictionary<string, double>(saved.Scores);
    if (supernet is not null)
    {
        var clock = Stopwatch.StartNew();
        scores[SupernetScorer.ProxyName] = supernet.Score(sample) ?? double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {rows.Count + 1,3}/{count} val {saved.ValidationAccuracy:P2}  supernet {scores[SupernetScorer.ProxyName]:P2} in {clock.Elapsed.TotalMilliseconds:F0} ms"));
    }

    rows.Add(saved with { Scores = scores });
}

if (supernet is not null)
{
    costs[SupernetScorer.ProxyName] = supernet.Spent.Scoring.TotalMilliseconds / Math.Max(1, supernet.Spent.Scored);
}

Write();

while (rows.Count < count)
{
    var sample = space.Sample(random);
    if (guard.Check(sample, out var complexity) is not null || !seen.Add(sample.Hash))
    {
        continue;
    }

    var scores = proxies.ToDictionary(ZeroCostProxies.Name, p => scorers[p].Score(sample) ?? double.NaN);
    if (supernet is not null)
    {
        scores[SupernetScorer.ProxyName] = supernet.Score(sample) ?? double.NaN;
        costs[SupernetScorer.ProxyName] = supernet.Spent.Scoring.TotalMilliseconds / supernet.Spent.Scored;
    }

    var blueprint = TrialBlueprint.FromSample(space, sample, cache.Channels, cache.ClassNames.Count, seed, 28);
    var hyperparameters = new TrainingHyperparameters { Epochs = epochs, Seed = seed + rows.Count };
    torch.manual_seed(hyperparameters.Seed);
    var clock = Stopwatch.StartNew();
    double accuracy;
    using (var network = blueprint.BuildModel())
    {
        var checkpoint = Path.Combine(workspace, "runs", Guid.NewGuid().ToString("N"));
        var trainer = new TrialTrainer(network, data, hyperparameters, new TrialTrainerOptions
        {
            CheckpointDirectory = checkpoint,
            SetDropPath = blueprint.SetDropPath is { } set ? p => set(network, p) : null,
        });
        var outcome = trainer.Train(epochs);
        accuracy = outcome.History.Count > 0 ? outcome.History[^1].ValidationAccuracy : double.NaN;
        Directory.Delete(checkpoint, recursive: true);
    }

    rows.Add(new Row(sample.ToJson(indented: false), complexity!.Parameters, complexity.MultiplyAdds, accuracy, clock.Elapsed.TotalSeconds, scores));
    var scoreText = string.Join("  ", scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F2}")));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {rows.Count,3}/{count} val {accuracy:P2} in {clock.Elapsed.TotalSeconds,5:F0} s  {complexity.Parameters,9:N0} params  {scoreText}"));
    Write();
}

Console.WriteLine($"load after: {Load()}");
Console.WriteLine("proxy     spearman  kendall  top-10% share  ms/score");
foreach (var (name, agreement) in Summary())
{
    var cost = costs.GetValueOrDefault(name, double.NaN);
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-8} {1,9:F3} {2,8:F3} {3,14:P0} {4,9:F1}",
        name, agreement.Spearman, agreement.Kendall, agreement.TopShare, cost));
}

void Write()
{
    var result = new
    {
        space = spaceName, trainImages = data.TrainLabels.shape[0], validationImages = data.ValidationLabels.shape[0], epochs, threads, seed,
        supernetSeconds = supernet is null ? (double?)null : supernetSeconds, supernetSteps = supernet?.Spent.Steps,
        msPerScore = costs, summary = Summary().ToDictionary(s => s.Name, s => s.Agreement), architectures = rows,
        machine = $"{Environment.ProcessorCount} cores", finished = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
}

IEnumerable<(string Name, Agreement Agreement)> Summary()
{
    var truth = rows.Select(r => r.ValidationAccuracy).ToArray();
    foreach (var name in ZeroCostProxies.Names.Append(SupernetScorer.ProxyName).Where(n => rows.Count > 0 && rows.All(r => r.Scores.ContainsKey(n))))
    {
        var values = rows.Select(r => double.IsFinite(r.Scores[name]) ? r.Scores[name] : double.NegativeInfinity).ToArray();
        yield return (name, rows.Count < 3 ? new Agreement(double.NaN, double.NaN, double.NaN)
            : new Agreement(RankCorrelation.Spearman(values, truth), RankCorrelation.Kendall(values, truth), RankCorrelation.TopShare(values, truth, 0.1)));
    }
}

static string Load() => File.ReadAllText("/proc/loadavg").Trim();

internal sealed record Row(string Sample, long Parameters, long MultiplyAdds, double ValidationAccuracy, double TrainSeconds, Dictionary<string, double> Scores);

internal sealed record Agreement(double Spearman, double Kendall, double TopShare);

internal sealed record Saved(long TrainImages, long ValidationImages, int Seed, Dictionary<string, double>? MsPerScore, List<Row> Architectures);
