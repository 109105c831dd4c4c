using System.Globalization;
using System.Text.Json;
using AutoNet.Store.Reports;

namespace AutoNet.Cli.Inspection;

/// <summary>A comparison as a table with one row per measure and one column per experiment.</summary>
public static class CompareView
{
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    public static void Write(Comparison comparison, bool plain)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var target = comparison.Target is { } t ? t.ToString("F4", CultureInfo.InvariantCulture) : "-";
        var columns = comparison.Experiments;
        (string Label, Func<ExperimentComparison, string> Cell)[] rows =
        [
            ("state", c => c.State),
            ("data", c => c.Data),
            ("space", c => c.Space),
            ("strategy", c => c.Strategy),
            ("scheduler", c => c.Scheduler),
            ("seed", c => N(c.Seed)),
            ("budget", c => JsonSerializer.Serialize(c.Budget, Compact)),
            ("trials", c => N(c.Trials)),
            ("completed / pruned / failed", c => $"{N(c.Completed)} / {N(c.Pruned)} / {N(c.Failed)}"),
            ("unfinished", c => N(c.Unfinished)),
            ("best validation", c => F(c.BestValidationAccuracy)),
            ("median validation", c => F(c.MedianValidationAccuracy)),
            ("best test", c => F(c.BestTestAccuracy)),
            ("training time", c => Time(c.TrainingSeconds)),
            ("epochs", c => N(c.Epochs)),
            ($"time to {target}", c => c.SecondsToTarget is { } s ? Time(s) : "not reached"),
            ($"trials to {target}", c => c.TrialsToTarget is { } n ? N(n) : "-"),
            ($"epochs to {target}", c => c.EpochsToTarget is { } n ? N(n) : "-"),
        ];
        TextTable.Write(["", .. columns.Select(c => c.Name)], [.. rows.Select(r => new[] { r.Label }.Concat(columns.Select(r.Cell)).ToArray())], plain,
            title: $"target validation accuracy {target} ({comparison.TargetSource}); times are training time");
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "-";

    private static string Time(double seconds) => Durations.Format(TimeSpan.FromSeconds(seconds));
}
