using System.Globalization;
using System.Text.Json;

namespace AutoNet.Cli.Inspection;

/// <summary>A trial report as people read it: a header, the architecture, hyperparameters, the epochs table and the learning curve.</summary>
public static class ShowView
{
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    public static void Write(TrialReport report, bool plain)
    {
        ArgumentNullException.ThrowIfNull(report);
        var output = Console.Out;
        output.WriteLine($"trial {report.Number} of '{report.Experiment}' (id {N(report.Id)}): {report.State}");
        if (report.FailureReason is not null)
        {
            output.WriteLine($"  reason:     {report.FailureReason}");
        }

        output.WriteLine($"  worker:     {report.Worker ?? "-"} on {report.Device ?? "-"}, {N(report.Attempts)} attempt(s)");
        output.WriteLine($"  created:    {Time(report.CreatedAt)}   started: {Time(report.StartedAt)}   ended: {Time(report.EndedAt)}");
        output.WriteLine($"  time:       {Seconds(report.WallSeconds)} wall, {Seconds(report.TrainingSeconds)} training over {N(report.EpochsDone)} epoch(s)");
        output.WriteLine($"  size:       {Count(report.Parameters)} parameters, {Count(report.Flops)} FLOPs");
        output.WriteLine($"  accuracy:   best validation {Accuracy(report.BestValidationAccuracy)}, test {Accuracy(report.TestAccuracy)}");
        output.WriteLine();
        if (report.Cells is { } cells)
        {
            output.WriteLine("genotype");
            output.WriteLine($"  normal:     {cells.Normal}");
            output.WriteLine($"  reduction:  {cells.Reduction}");
            if (report.Diagram is { } diagram)
            {
                output.WriteLine($"  diagram:    {diagram.Dot}" + (diagram.Svg is null ? string.Empty : $", {diagram.Svg}"));
                if (diagram.SvgSkipped is not null)
                {
                    output.WriteLine($"              (no SVG: {diagram.SvgSkipped})");
                }
            }
            else if (report.DiagramNote is not null)
            {
                output.WriteLine($"  diagram:    {report.DiagramNote}");
            }
        }
        else
        {
            output.WriteLine($"architecture {JsonSerializer.Serialize(report.Architecture, Compact)}");
        }

        output.WriteLine();
        if (report.Hyperparameters.Count > 0)
        {
            TextTable.Write(["hyperparameter", "value"], [.. report.Hyperparameters.Select(h => new[] { h.Key, Value(h.Value) })], plain);
            output.WriteLine();
        }

        if (report.Epochs.Count == 0)
        {
            output.WriteLine("no epochs reported yet");
        }
        else
        {
            TextTable.Write(["epoch", "train loss", "val loss", "val acc", "top-5", "lr", "seconds"],
                [.. report.Epochs.Select(e => new[]
                {
                    N(e.Epoch), F(e.TrainLoss), F(e.ValidationLoss), Accuracy(e.ValidationAccuracy), Accuracy(e.Top5Accuracy),
                    e.LearningRate.ToString("G4", CultureInfo.InvariantCulture), Seconds(e.Seconds),
                })], plain);
            output.WriteLine();
            output.WriteLine("learning curve (per epoch)");
            Curve("validation accuracy", report.Epochs.Select(e => e.ValidationAccuracy).ToList());
            Curve("validation loss", report.Epochs.Select(e => e.ValidationLoss).ToList());
            Curve("train loss", report.Epochs.Select(e => (double?)e.TrainLoss).ToList());
        }

        if (report.TestMetrics is { } metrics)
        {
            output.WriteLine();
            output.WriteLine($"test metrics {JsonSerializer.Serialize(metrics, Compact)}");
        }
    }

    private static void Curve(string name, IReadOnlyList<double?> values)
    {
        var known = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (known.Count == 0)
        {
            return;
        }

        Console.Out.WriteLine($"  {name,-20} {Sparkline.Of(values)}  {F(known[0])} → {F(known[^1])} (min {F(known.Min())}, max {F(known.Max())})");
    }

    private static string Value(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Count(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";

    private static string F(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "-";

    private static string Accuracy(double? value) => F(value);

    private static string Seconds(double? value) => value is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) + "s" : "-";

    private static string Time(DateTimeOffset? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
