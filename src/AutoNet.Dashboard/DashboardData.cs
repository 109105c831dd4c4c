using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using AutoNet.Scheduling.Search;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Store;
using AutoNet.Store.Reports;

namespace AutoNet.Dashboard;

/// <summary>
/// What the pages read, built from the read-only store. An experiment's trial rows are read once per poll interval and
/// shared by every request and live channel in that interval, so ten thousand trials and several open pages cost one
/// query, not one per view.
/// </summary>
internal sealed class DashboardData
{
    /// <summary>How many learning curves the experiment page draws at most: the best trials, then the running ones.</summary>
    public const int MaxCurves = 200;

    private readonly StoreConnection _connection;
    private readonly TimeProvider _time;
    private readonly TimeSpan _freshFor;
    private readonly ConcurrentDictionary<string, Lazy<Task<TrialSnapshot>>> _snapshots = new(StringComparer.Ordinal);

    public DashboardData(StoreConnection connection, TimeSpan freshFor, TimeProvider? time = null)
    {
        _connection = connection;
        _freshFor = freshFor;
        _time = time ?? TimeProvider.System;
    }

    public async Task<object> ExperimentsAsync(CancellationToken cancellationToken)
    {
        var store = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var experiments = await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false);
        return new { store = store.Location, experiments = experiments.Select(ExperimentView.From).ToList() };
    }

    public async Task<ExperimentView> ExperimentAsync(string name, CancellationToken cancellationToken)
    {
        var store = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var summary = (await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Experiment.Name == name)
            ?? throw new DashboardNotFoundException($"there is no experiment named '{name}' in {store.Location}");
        return ExperimentView.From(summary);
    }

    /// <summary>The experiment's trials as rows, at most one poll interval old.</summary>
    public async Task<TrialSnapshot> SnapshotAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = _snapshots.GetOrAdd(name, n => new Lazy<Task<TrialSnapshot>>(() => ReadSnapshotAsync(n)));
            TrialSnapshot snapshot;
            try
            {
                snapshot = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _snapshots.TryRemove(new KeyValuePair<string, Lazy<Task<TrialSnapshot>>>(name, entry));
                throw;
            }

            if (_time.GetUtcNow() - snapshot.ReadAt <= _freshFor)
            {
                return snapshot;
            }

            _snapshots.TryRemove(new KeyValuePair<string, Lazy<Task<TrialSnapshot>>>(name, entry));
        }
    }

    public async Task<object> TrialPageAsync(string name, TrialQuery query, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        var matched = query.Order(snapshot.Rows.Where(query.Matches)).ToList();
        var rows = matched.Skip((query.Page - 1) * query.Size).Take(query.Size).ToList();
        return new
        {
            experiment = name,
            total = snapshot.Rows.Count,
            matched = matched.Count,
            page = query.Page,
            size = query.Size,
            sort = query.Sort,
            descending = query.Descending,
            columns = TrialRow.FixedColumns,
            hyperparameters = snapshot.Labels,
            rows,
        };
    }

    /// <summary>Every matching row in the query's order, for the CSV.</summary>
    public async Task<(IReadOnlyList<string> Labels, IReadOnlyList<TrialRow> Rows)> AllRowsAsync(string name, TrialQuery query, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        return (snapshot.Labels, query.Order(snapshot.Rows.Where(query.Matches)).ToList());
    }

    /// <summary>
    /// Compact points for the charts (parallel coordinates, accuracy against size): one array per trial in column
    /// order, so ten thousand trials stay a small payload.
    /// </summary>
    public async Task<object> PointsAsync(string name, TrialQuery query, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        string[] columns = ["number", "state", "validationAccuracy", "testAccuracy", "parameters", "flops", "latencyMs", "epochs", "seconds", .. snapshot.Labels];
        var rows = snapshot.Rows.Where(query.Matches).Select(r => columns.Select(r.Value).ToArray()).ToList();
        return new { experiment = name, columns, categorical = snapshot.Labels.Where(l => snapshot.Rows.Any(r => r.Value(l) is string or bool)).ToList(), rows };
    }

    /// <summary>Learning curves of the best trials (and every running one), with the epochs where ASHA compared them.</summary>
    public async Task<object> CurvesAsync(string name, TrialQuery query, CancellationToken cancellationToken)
    {
        var experiment = await ExperimentAsync(name, cancellationToken).ConfigureAwait(false);
        var snapshot = await SnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        var store = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var chosen = snapshot.Rows.Where(query.Matches).Where(r => r.Epochs > 0)
            .OrderBy(r => r.State == "Running" ? 0 : 1).ThenByDescending(r => r.ValidationAccuracy ?? -1).ThenBy(r => r.Number)
            .Take(MaxCurves).ToList();
        var curves = new List<object>(chosen.Count);
        foreach (var row in chosen)
        {
            var epochs = await store.GetEpochMetricsAsync(snapshot.Ids[row.Number], cancellationToken).ConfigureAwait(false);
            curves.Add(new
            {
                number = row.Number,
                state = row.State,
                epochs = epochs.Select(e => new object?[] { e.Epoch, e.ValidationAccuracy, e.TrainLoss, e.ValidationLoss, e.LearningRate, e.Seconds }).ToList(),
            });
        }

        return new { experiment = name, rungs = experiment.Rungs, shown = curves.Count, matched = snapshot.Rows.Count(query.Matches), curves };
    }

    public async Task<object> TrialAsync(string name, long number, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        if (!snapshot.Ids.TryGetValue(number, out var id))
        {
            throw new DashboardNotFoundException($"experiment '{name}' has no trial {number.ToString(CultureInfo.InvariantCulture)} (it has {snapshot.Rows.Count})");
        }

        var store = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var trial = await store.GetTrialAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new DashboardNotFoundException($"trial {number} of '{name}' is no longer in the store");
        var epochs = await store.GetEpochMetricsAsync(id, cancellationToken).ConfigureAwait(false);
        var row = TrialRow.From(trial, _time.GetUtcNow());
        var reference = row.Number.ToString(CultureInfo.InvariantCulture);
        var quoted = Quote(name);
        return new
        {
            experiment = name,
            trial = row,
            genotype = Json(trial.GenotypeJson),
            created = trial.CreatedAt,
            started = trial.StartedAt,
            ended = trial.EndedAt,
            attempts = trial.Attempts,
            worker = trial.WorkerId,
            epochs,
            test = trial.TestMetricsJson is null ? (JsonElement?)null : Json(trial.TestMetricsJson),
            cellDiagram = CellDiagrams.Availability(trial.GenotypeJson),
            commands = new
            {
                show = $"autonet show {reference} --experiment {quoted}",
                evaluate = $"autonet evaluate {reference} --experiment {quoted}",
                export = $"autonet export {reference} --experiment {quoted} --out {Quote(name + "-trial" + reference)}",
                predict = $"autonet predict {Quote(name + "-trial" + reference)} <images>",
            },
        };
    }

    /// <summary>
    /// The experiments side by side: the numbers `autonet compare` prints (<see cref="ExperimentComparison"/>), and each
    /// one's best validation accuracy so far against trials finished and against training time.
    /// </summary>
    public async Task<object> CompareAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count < 2 || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new DashboardBadRequestException($"name=...: a comparison needs two or more different experiments; got {string.Join(", ", names)}");
        }

        var store = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var loaded = new List<(Experiment Experiment, IReadOnlyList<Trial> Trials, Dictionary<long, IReadOnlyList<EpochMetrics>> Epochs)>();
        foreach (var name in names)
        {
            var experiment = await store.GetExperimentAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new DashboardNotFoundException($"there is no experiment named '{name}' in {store.Location}");
            var trials = await store.ListTrialsAsync(experiment.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var epochs = new Dictionary<long, IReadOnlyList<EpochMetrics>>();
            foreach (var trial in trials)
            {
                epochs[trial.Id] = await store.GetEpochMetricsAsync(trial.Id, cancellationToken).ConfigureAwait(false);
            }

            loaded.Add((experiment, trials, epochs));
        }

        // The same default target as `autonet compare`: the lowest best validation accuracy, which all have reached.
        var bests = loaded.Select(l => l.Trials.Where(t => t.State == TrialState.Completed).Max(t => t.BestValidationAccuracy)).Where(b => b.HasValue).ToList();
        double? target = bests.Count > 0 ? bests.Min() : null;
        return new
        {
            target,
            experiments = loaded.Select(l => new
            {
                summary = ExperimentComparison.From(l.Experiment, l.Trials, l.Epochs, target),
                bestSoFar = BestSoFar(l.Experiment, l.Trials),
            }).ToList(),
        };
    }

    /// <summary>
    /// What a proxy or one-shot strategy judged before training (its saved warm-up pool): each kept point's score, and
    /// for those that became trials, their number and validation accuracy. Other strategies keep no scores.
    /// </summary>
    public async Task<object> StrategyAsync(string name, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        var store = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var state = await store.LoadStrategyStateAsync(snapshot.Experiment.Id, cancellationToken).ConfigureAwait(false);
        var inner = state is null ? null : StrategyProposer.StrategyStateOf(state);
        if ((inner is null ? null : ProxySeededEvolution.ReadPool(inner)) is not { } pool)
        {
            return new
            {
                experiment = name,
                strategy = snapshot.Experiment.Strategy,
                available = false,
                reason = snapshot.Experiment.Strategy is "proxy" or "oneshot"
                    ? "the strategy has not scored its warm-up pool yet"
                    : $"the {snapshot.Experiment.Strategy} strategy scores nothing before training; the proxy and oneshot strategies do",
            };
        }

        var trials = await store.ListTrialsAsync(snapshot.Experiment.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        var bySample = new Dictionary<string, Trial>(StringComparer.Ordinal);
        foreach (var trial in trials.Where(t => t.Role == TrialRole.Search))
        {
            try
            {
                bySample.TryAdd(SearchSample.FromJson(trial.HyperparametersJson).ToCanonicalJson(), trial);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                // A sample changed outside AutoNet matches no pool point.
            }
        }

        return new
        {
            experiment = name,
            strategy = pool.Strategy,
            available = true,
            proxy = pool.Proxy,
            poolSize = pool.PoolSize,
            kept = pool.Points.Count,
            points = pool.Points.Select((point, i) =>
            {
                var trial = bySample.GetValueOrDefault(point.Sample.ToCanonicalJson());
                return new { rank = i + 1, score = point.Score, trial = trial?.Number, state = trial?.State.ToString(), validationAccuracy = trial?.BestValidationAccuracy };
            }).ToList(),
        };
    }

    /// <summary>A signature of what a live page shows: it changes whenever a trial changes state, epochs or score.</summary>
    public async Task<(string Signature, TrialSnapshot Snapshot)> ChangeAsync(string name, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        return (snapshot.Signature, snapshot);
    }

    private async Task<TrialSnapshot> ReadSnapshotAsync(string name)
    {
        var store = await _connection.GetAsync(CancellationToken.None).ConfigureAwait(false);
        var experiment = await store.GetExperimentAsync(name).ConfigureAwait(false)
            ?? throw new DashboardNotFoundException($"there is no experiment named '{name}' in {store.Location}");
        var now = _time.GetUtcNow();
        var trials = await store.ListTrialsAsync(experiment.Id).ConfigureAwait(false);
        return TrialSnapshot.From(experiment, trials, now);
    }

    /// <summary>
    /// The best validation accuracy of the completed trials so far, after each finished trial in the order they ended,
    /// against how many had finished and against the wall time since the experiment was created.
    /// </summary>
    private static List<object> BestSoFar(Experiment experiment, IReadOnlyList<Trial> trials)
    {
        var points = new List<object>();
        double best = double.NaN;
        var finished = 0;
        foreach (var trial in trials.Where(t => t.IsFinished && t.EndedAt is not null).OrderBy(t => t.EndedAt).ThenBy(t => t.Number))
        {
            finished++;
            if (trial.State == TrialState.Completed && trial.BestValidationAccuracy is { } score && !(score <= best))
            {
                best = score;
            }

            points.Add(new { trials = finished, seconds = Math.Max(0, (trial.EndedAt!.Value - experiment.CreatedAt).TotalSeconds), best = double.IsNaN(best) ? (double?)null : best });
        }

        return points;
    }

    private static JsonElement Json(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var text = JsonDocument.Parse(JsonSerializer.Serialize(json));
            return text.RootElement.Clone();
        }
    }

    /// <summary>Quotes a value for a POSIX shell when it needs it, so a copied command runs as shown.</summary>
    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
