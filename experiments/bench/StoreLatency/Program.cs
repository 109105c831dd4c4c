using System.Diagnostics;
using System.Globalization;
using AutoNet.Store;

// Store write and leaderboard-read latency of the embedded engines, and of PostgreSQL when given a connection string
// to an empty database, at a given number of trials (10,000 by default): each store is filled once (every trial
// claimed, one epoch reported, completed), then the rounds alternate the engines, each round timing writes (report an
// epoch, finish) on new trials and reads (a top-10 leaderboard, the experiments list) on the full store. Prints medians
// and p95 per engine and the ratio of each engine's medians to SQLite's, the default.
//   dotnet run -c Release --project experiments/bench/StoreLatency -- [--trials 10000] [--rounds 5] [--ops 40] [--postgres "Host=…;Database=…"]
var trials = Option("--trials", 10_000);
var rounds = Option("--rounds", 5);
var ops = Option("--ops", 40);
var postgres = TextOption("--postgres");
var folder = Path.Combine(Path.GetTempPath(), "autonet-store-latency-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    var engines = postgres is null ? new[] { StoreEngine.Sqlite, StoreEngine.LiteDb } : new[] { StoreEngine.Sqlite, StoreEngine.LiteDb, StoreEngine.Postgres };
    var samples = engines.ToDictionary(e => e, _ => new Dictionary<string, List<double>> { ["write"] = [], ["leaderboard"] = [], ["experiments"] = [] });
    var experiments = new Dictionary<StoreEngine, long>();
    foreach (var engine in engines)
    {
        var clock = Stopwatch.StartNew();
        await using var store = await Open(engine);
        var experiment = await store.CreateExperimentAsync(new NewExperiment(
            "latency", "fashion-mnist", "{}", "space", "{}", "random", "asha", "{}", 1));
        experiments[engine] = experiment.Id;
        for (var i = 0; i < trials; i++)
        {
            await RunTrial(store, experiment.Id, i, null);
        }

        Console.WriteLine(FormattableString.Invariant($"{engine}: filled {trials} trials in {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    for (var round = 0; round < rounds; round++)
    {
        foreach (var engine in round % 2 == 0 ? engines : engines.Reverse().ToArray())
        {
            await using var store = await Open(engine);
            var id = experiments[engine];
            for (var i = 0; i < ops; i++)
            {
                await RunTrial(store, id, trials + round * ops + i, samples[engine]["write"]);
                samples[engine]["leaderboard"].Add(await Time(() => store.GetLeaderboardAsync(id, new LeaderboardQuery(Top: 10))));
                samples[engine]["experiments"].Add(await Time(() => store.ListExperimentsAsync()));
            }
        }
    }

    Console.WriteLine(FormattableString.Invariant($"trials={trials} rounds={rounds} ops/round={ops}; milliseconds"));
    Console.WriteLine("what          engine   median     p95");
    foreach (var what in new[] { "write", "leaderboard", "experiments" })
    {
        foreach (var engine in engines)
        {
            var s = samples[engine][what];
            Console.WriteLine(FormattableString.Invariant($"{what,-13} {engine,-7} {Percentile(s, 0.5),7:0.00} {Percentile(s, 0.95),7:0.00}"));
        }

        foreach (var engine in engines.Where(e => e != StoreEngine.Sqlite))
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{what,-13} {engine}/SQLite median ratio {Percentile(samples[engine][what], 0.5) / Percentile(samples[StoreEngine.Sqlite][what], 0.5):0.0}x"));
        }
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

Task<IExperimentStore> Open(StoreEngine engine) => engine switch
{
    StoreEngine.Postgres => ExperimentStore.OpenAsync(postgres!),
    StoreEngine.LiteDb => ExperimentStore.OpenAsync("litedb:" + Path.Combine(folder, "LiteDb.db")),
    _ => ExperimentStore.OpenAsync("sqlite:" + Path.Combine(folder, "Sqlite.db")),
};

// A trial as a search writes it: added, claimed, one epoch reported, completed. With samples, times the two result writes.
static async Task RunTrial(IExperimentStore store, long experimentId, int i, List<double>? writes)
{
    var trial = await store.AddTrialAsync(experimentId, new NewTrial($$"""{"cell":{{i}}}""", $"g{i}", $$"""{"lr":{{i % 7}}}""", 1000 + i, 10_000 + i));
    await store.ClaimTrialAsync(trial.Id, "bench", "cpu", TimeSpan.FromHours(1));
    var accuracy = (i * 7919 % 1000) / 1000.0;
    var report = Time(() => store.ReportEpochAsync(trial.Id, "bench", new EpochMetrics(1, 0.5, 0.6, accuracy, 0.9, 0.01, 1.0)));
    var epoch = await report;
    var finish = await Time(() => store.FinishTrialAsync(trial.Id, "bench", TrialFinish.Completed(accuracy)));
    writes?.AddRange([epoch, finish]);
}

static async Task<double> Time(Func<Task> operation)
{
    var clock = Stopwatch.StartNew();
    await operation();
    return clock.Elapsed.TotalMilliseconds;
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

string? TextOption(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
