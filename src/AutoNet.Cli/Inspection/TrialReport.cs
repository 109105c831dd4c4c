using System.Text.Json;
using System.Text.Json.Serialization;
using AutoNet.Models.Genotypes;
using AutoNet.Store;

namespace AutoNet.Cli.Inspection;

/// <summary>
/// Everything `autonet show` tells about one trial (and what its --json writes): state, where and when it ran, its size,
/// its architecture (the normal and reduction cells for a cell space), its hyperparameters, its epochs and its test metrics.
/// </summary>
public sealed record TrialReport(
    long Id,
    long Number,
    string Experiment,
    string State,
    string? FailureReason,
    string? Worker,
    string? Device,
    long Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double? WallSeconds,
    double TrainingSeconds,
    long? Parameters,
    long? Flops,
    long EpochsDone,
    double? BestValidationAccuracy,
    double? TestAccuracy,
    JsonElement? TestMetrics,
    JsonElement Architecture,
    TrialCells? Cells,
    IReadOnlyDictionary<string, JsonElement> Hyperparameters,
    IReadOnlyList<EpochMetrics> Epochs)
{
    /// <summary>The sample labels of hyperparameters; the rest of a sample is the architecture.</summary>
    public const string HyperparameterPrefix = "hp/";

    /// <summary>The parsed genotype of a cell-space trial (null for macro and transfer spaces), for the diagram.</summary>
    [JsonIgnore]
    public Genotype? Genotype { get; init; }

    /// <summary>The cell diagram files written for this report (DOT always for a cell space, SVG when Graphviz is installed).</summary>
    public DiagramFiles? Diagram { get; init; }

    /// <summary>Why no diagram was written for a cell-space trial (no trial folder and no --diagram path).</summary>
    public string? DiagramNote { get; init; }

    public static TrialReport From(Trial trial, Experiment experiment, IReadOnlyList<EpochMetrics> epochs)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(epochs);
        var architecture = Parse(trial.GenotypeJson, $"trial {trial.Number}'s genotype");
        var genotype = architecture.ValueKind == JsonValueKind.Object && architecture.TryGetProperty("normal", out _) && architecture.TryGetProperty("reduction", out _)
            ? Genotype.FromJson(trial.GenotypeJson, $"trial {trial.Number}'s genotype")
            : null;
        var sample = Parse(trial.HyperparametersJson, $"trial {trial.Number}'s hyperparameters");
        var hyperparameters = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (sample.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in sample.EnumerateObject().Where(e => e.Name.StartsWith(HyperparameterPrefix, StringComparison.Ordinal)))
            {
                hyperparameters[entry.Name[HyperparameterPrefix.Length..]] = entry.Value;
            }
        }

        double? wall = trial is { StartedAt: { } start, EndedAt: { } end } ? (end - start).TotalSeconds : null;
        return new TrialReport(trial.Id, trial.Number, experiment.Name, trial.State.ToString(), trial.FailureReason, trial.WorkerId, trial.Device, trial.Attempts,
            trial.CreatedAt, trial.StartedAt, trial.EndedAt, wall, epochs.Sum(e => e.Seconds), trial.ParameterCount, trial.Flops, trial.EpochsDone,
            trial.BestValidationAccuracy, trial.TestAccuracy, trial.TestMetricsJson is null ? null : Parse(trial.TestMetricsJson, $"trial {trial.Number}'s test metrics"),
            architecture, genotype is null ? null : new TrialCells(genotype.Normal.ToString(), genotype.Reduction.ToString()), hyperparameters, epochs)
        {
            Genotype = genotype,
        };
    }

    private static JsonElement Parse(string json, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            // The caller names the store (CliStore.ReadStored).
            throw new FormatException($"{what} is not valid JSON: {e.Message}", e);
        }
    }
}
