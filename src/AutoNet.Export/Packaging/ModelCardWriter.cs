using System.Globalization;
using System.Text;
using AutoNet.Export.Onnx;
using AutoNet.Models.Transfer;

namespace AutoNet.Export.Packaging;

/// <summary>Renders a package's model card (README.md) from its description: what the model is, how to feed it, where it came from.</summary>
public static class ModelCardWriter
{
    private const string NotRecorded = "not recorded";

    public static string Render(ModelPackageDescription description, ModelExportFormats formats)
    {
        ArgumentNullException.ThrowIfNull(description);
        var card = description.Card ?? new ModelCard();
        var pre = description.Preprocessing;
        var arch = description.Architecture;
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# {Escape(card.Title ?? $"AutoNet {Name(arch)} image classifier")}");
        s.AppendLine();
        if (card.Description is { } text)
        {
            s.AppendLine(Escape(text)).AppendLine();
        }

        var created = description.CreatedUtc is { } when
            ? string.Create(CultureInfo.InvariantCulture, $" on {when.UtcDateTime:yyyy-MM-dd HH:mm} UTC.")
            : ".";
        s.AppendLine(CultureInfo.InvariantCulture, $"Exported by AutoNet {Escape(description.AutoNetVersion)}{created}");
        s.AppendLine();

        s.AppendLine("## Model").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"- Architecture: {Describe(arch)}");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Classes ({description.ClassNames.Count}): {string.Join(", ", description.ClassNames.Select(Escape))}");
        s.AppendLine();

        s.AppendLine("## Input").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"- {pre.Channels} × {pre.Height} × {pre.Width} (channels × height × width), NCHW, {OnnxModuleExporter.ChannelOrderName(pre.ChannelOrder)}");
        s.AppendLine(CultureInfo.InvariantCulture, $"- images of another size: {OnnxPreprocessing.FitDescription(pre.Fit)} (`{OnnxPreprocessing.FitName(pre.Fit)}`)");
        var scale = Math.Abs(pre.PixelScale - (1.0 / 255.0)) < 1e-12 ? "1/255 (to 0–1)" : Number(pre.PixelScale);
        s.AppendLine(CultureInfo.InvariantCulture, $"- pixel values times {scale}, then per channel (value − mean) / std");
        s.AppendLine(CultureInfo.InvariantCulture, $"- mean [{string.Join(", ", pre.Mean.Select(Number))}], std [{string.Join(", ", pre.Std.Select(Number))}]");
        s.AppendLine("- output: logits, one per class; softmax gives probabilities");
        s.AppendLine();

        s.AppendLine("## Data and results").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"- Data set: {Escape(card.DataSet ?? NotRecorded)}");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Split: {Escape(card.Split ?? NotRecorded)}");
        if (card.Experiment is not null || card.Trial is not null)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- Experiment: {Escape(card.Experiment ?? NotRecorded)}, trial {Escape(card.Trial ?? NotRecorded)}");
        }

        s.AppendLine();
        Table(s, "Metric", "Value", card.Metrics?.Select(m => (m.Key, Number(m.Value))));
        if (card.Metrics?.ContainsKey(ModelCard.TestAccuracyMetric) == true)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"- `{ModelCard.TestAccuracyMetric}` is what this package computes on the test images, one view per image, as `autonet predict`, `autonet evaluate`, the ONNX model and `{ModelPackage.PyTorchFile}` run it.");
            if (card.Metrics.ContainsKey(ModelCard.FlipAveragedTestAccuracyMetric))
            {
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"- `{ModelCard.FlipAveragedTestAccuracyMetric}` averages each image's probabilities with its mirror image's, as the search scored the trial (its leaderboard figure); the package does not average flips.");
            }

            s.AppendLine();
        }

        s.AppendLine("## Hyperparameters").AppendLine();
        Table(s, "Hyperparameter", "Value", card.Hyperparameters?.Select(h => (h.Key, h.Value)));

        s.AppendLine("## Search history").AppendLine();
        if (card.Search is { } search)
        {
            Line(s, "Search space", search.SearchSpace);
            Line(s, "Strategy", search.Strategy);
            Line(s, "Scheduler", search.Scheduler);
            Line(s, "Trials completed", search.TrialsCompleted?.ToString(CultureInfo.InvariantCulture));
            Line(s, "Trials pruned", search.TrialsPruned?.ToString(CultureInfo.InvariantCulture));
            Line(s, "Trials failed", search.TrialsFailed?.ToString(CultureInfo.InvariantCulture));
            Line(s, "Duration", search.Duration?.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture));
            Line(s, "Device", search.Device);
            Line(s, "Seed", search.Seed?.ToString(CultureInfo.InvariantCulture));
            foreach (var note in search.Notes ?? [])
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(note)}");
            }
        }
        else
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- {NotRecorded}");
        }

        s.AppendLine();
        s.AppendLine("## Files").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"- `{ModelPackage.DescriptionFile}`: the architecture, input description and class names (AutoNet reads it back with `ModelPackage.Load`)");
        if (formats.HasFlag(ModelExportFormats.Safetensors) || formats.HasFlag(ModelExportFormats.PyTorch))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- `{ModelPackage.WeightsFile}`: the weights (state dict, PyTorch key names)");
        }

        if (formats.HasFlag(ModelExportFormats.PyTorch))
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"- `{ModelPackage.PyTorchFile}`: rebuilds the network with only PyTorch and numpy (and torchvision for a torchvision backbone) from the description in `{ModelPackage.DescriptionFile}`: `import model; net = model.load()` (eval mode)");
        }

        if (formats.HasFlag(ModelExportFormats.Onnx))
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"- `{ModelPackage.OnnxFile}`: ONNX, input `input` [batch, {pre.Channels}, {pre.Height}, {pre.Width}], outputs `logits` and `probabilities`; the preprocessing and class names are in its metadata");
        }

        return s.ToString();
    }

    private static void Table(StringBuilder s, string key, string value, IEnumerable<(string Key, string Value)>? rows)
    {
        var list = rows?.ToList();
        if (list is null || list.Count == 0)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- {NotRecorded}").AppendLine();
            return;
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {value} |").AppendLine("|---|---|");
        foreach (var (k, v) in list)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(k)} | {Escape(v)} |");
        }

        s.AppendLine();
    }

    private static void Line(StringBuilder s, string name, string? value) =>
        s.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {Escape(value ?? NotRecorded)}");

    private static string Name(ModelArchitecture arch) => arch switch
    {
        CellNetworkArchitecture => "cell network",
        MacroCnnArchitecture => "macro-cnn",
        BackboneArchitecture b => b.Name,
        TransferArchitecture t => Name(t.Base) + " transfer",
        _ => arch.Kind,
    };

    private static string Describe(ModelArchitecture arch) => arch switch
    {
        CellNetworkArchitecture c => FormattableString.Invariant(
            $"cell network (DARTS/NASNet style), genotype `{c.Genotype.Hash[..12]}`, C = {c.Settings.InitialChannels}, {c.Settings.Stages} stages of {c.Settings.CellsPerStage} normal cells, {c.Settings.CellCount} cells in all"),
        MacroCnnArchitecture m => FormattableString.Invariant(
            $"macro-cnn, stages {string.Join(" → ", m.Config.Stages.Select(s => $"{s.Depth}×{(s.Residual ? "residual" : "plain")} {s.Width}ch k{s.KernelSize}"))}, downsampling {m.Config.Downsampling}, {m.Config.GlobalPooling} pooling"),
        BackboneArchitecture b => b.NumClasses > 0 ? $"torchvision {b.Name} with a {b.NumClasses}-class classifier" : $"torchvision {b.Name} without classifier",
        TransferArchitecture t => FormattableString.Invariant(
            $"a new {t.HeadClasses}-class {HeadName(t.Head)} head on the features of {Describe(t.Base)}, {Number(t.FreezeFraction)} of its stages frozen while fine-tuning"),
        _ => arch.Kind,
    };

    private static string HeadName(TransferHead head) => head.Kind switch
    {
        TransferHeadKind.Mlp => FormattableString.Invariant($"MLP ({head.Hidden} hidden)"),
        TransferHeadKind.Cell => FormattableString.Invariant($"searched-cell ({head.CellChannels} channels per block)"),
        _ => TransferArchitecture.HeadKindName(head.Kind),
    };

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    // Names come from user folders: keep them from breaking the table or the markup.
    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
