using System.Text.Json;
using AutoNet.Store;

namespace AutoNet.Dashboard;

/// <summary>
/// One trial as the leaderboard, the charts and the CSV show it: the stored numbers unchanged (so they equal what
/// `autonet leaderboard --json` prints), its sampled values by label, and its wall time so far.
/// </summary>
public sealed record TrialRow(
    long Number,
    string State,
    string Role,
    double? ValidationAccuracy,
    double? TestAccuracy,
    long? Parameters,
    long? Flops,
    long Epochs,
    double? Seconds,
    string? Device,
    string? FailureReason,
    IReadOnlyDictionary<string, object> Hyperparameters,
    double? LatencyMs = null)
{
    /// <summary>The columns every row has, before the experiment's own hyperparameter labels.</summary>
    public static IReadOnlyList<string> FixedColumns { get; } =
        ["number", "state", "role", "validationAccuracy", "testAccuracy", "parameters", "flops", "latencyMs", "epochs", "seconds"];

    // A finished trial's test metrics never change: each is read once for its latency, however often the table refreshes.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, double?> Latencies = new();

    public static TrialRow From(Trial trial, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var end = trial.EndedAt ?? (trial.State == TrialState.Running ? now : trial.HeartbeatAt);
        return new TrialRow(trial.Number, trial.State.ToString(), trial.Role.ToString(), trial.BestValidationAccuracy, trial.TestAccuracy,
            trial.ParameterCount, trial.Flops, trial.EpochsDone,
            trial.StartedAt is { } start && end is { } stop ? Math.Max(0, (stop - start).TotalSeconds) : null,
            trial.Device, trial.FailureReason, Sample(trial.HyperparametersJson),
            trial.TestMetricsJson is null ? null : Latencies.GetOrAdd(trial.Id, _ => Latency(trial.TestMetricsJson)));
    }

    /// <summary>Milliseconds per image at batch 1, as the trial's evaluation measured it (trials of older versions have none).</summary>
    private static double? Latency(string metricsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(metricsJson);
            return document.RootElement.TryGetProperty("Latency", out var latency)
                && latency.TryGetProperty("MillisecondsPerImageAtBatch1", out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The value of a column: a fixed one by name, else the hyperparameter of that label (null when absent).</summary>
    public object? Value(string column) => column switch
    {
        "number" => Number,
        "state" => State,
        "role" => Role,
        "validationAccuracy" => ValidationAccuracy,
        "testAccuracy" => TestAccuracy,
        "parameters" => Parameters,
        "flops" => Flops,
        "latencyMs" => LatencyMs,
        "epochs" => Epochs,
        "seconds" => Seconds,
        _ => Hyperparameters.TryGetValue(column, out var value) ? value : null,
    };

    private static Dictionary<string, object> Sample(string json)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return values;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                object? value = property.Value.ValueKind switch
                {
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                };
                if (value is not null)
                {
                    values[property.Name] = value;
                }
            }
        }
        catch (JsonException)
        {
            // A sample changed outside AutoNet shows no hyperparameters rather than failing the whole table.
        }

        return values;
    }
}
