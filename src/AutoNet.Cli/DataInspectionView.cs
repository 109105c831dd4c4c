using System.Globalization;
using Spectre.Console;

namespace AutoNet.Cli;

/// <summary>Writes a <see cref="DataInspection"/> to the terminal as tables and short lists.</summary>
public static class DataInspectionView
{
    public static void Write(DataInspection report)
    {
        ArgumentNullException.ThrowIfNull(report);
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(report.Source)}[/]").LeftJustified());
        var classes = new Table().AddColumn("class").AddColumn("images", c => c.RightAligned()).AddColumn("share", c => c.RightAligned())
            .AddColumn("weight", c => c.RightAligned()).AddColumn("train", c => c.RightAligned()).AddColumn("val", c => c.RightAligned())
            .AddColumn("test", c => c.RightAligned());
        foreach (var row in report.Classes)
        {
            classes.AddRow(Markup.Escape(row.Name), Number(row.Count), (row.Share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%",
                row.Weight.ToString("F3", CultureInfo.InvariantCulture), Number(row.Train), Number(row.Validation), Number(row.Test));
        }

        var split = report.Split;
        classes.AddRow("[bold]total[/]", Number(report.Samples), string.Empty, string.Empty, Number(split.Train), Number(split.Validation), Number(split.Test));
        AnsiConsole.Write(classes);
        var imbalance = report.ImbalanceRatio.ToString("F2", CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLine($"class imbalance (largest / smallest): [bold]{imbalance}[/]" + (report.ImbalanceRatio > 3 ? " [yellow](imbalanced: class weights are available to the trainer)[/]" : string.Empty));
        AnsiConsole.MarkupLine(split.File is null
            ? $"split: stratified, seed {split.Seed}, fractions {split.Fractions.Train:0.###}/{split.Fractions.Validation:0.###}/{split.Fractions.Test:0.###} (given splits kept)"
            : $"split: from {Markup.Escape(split.File)}");

        var images = report.Images;
        var sizes = images.Sizes;
        AnsiConsole.MarkupLine($"images: {Number(images.Decodable)} decodable; sizes {sizes.MinWidth}-{sizes.MaxWidth} x {sizes.MinHeight}-{sizes.MaxHeight} (median {sizes.MedianWidth} x {sizes.MedianHeight}, {sizes.DistinctSizes} distinct; most common "
            + string.Join(", ", sizes.MostCommon.Select(s => $"{s.Width}x{s.Height} ({s.Count})")) + ")");
        AnsiConsole.MarkupLine("modes: " + Counts(images.Modes) + "; formats: " + Counts(images.Formats));

        var skipped = report.Skipped;
        AnsiConsole.MarkupLine(skipped.Count == 0 ? "skipped: none" : $"[yellow]skipped: {skipped.Count}[/] ({Markup.Escape(Counts(skipped.ByReason))}); full list: {Markup.Escape(skipped.File)}");
        foreach (var row in skipped.First.Take(5))
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(row.Path)}: {Markup.Escape(row.Reason)}");
        }

        var duplicates = report.Duplicates;
        AnsiConsole.MarkupLine(duplicates.Groups == 0 ? "duplicates: none"
            : $"[yellow]duplicates: {duplicates.Groups} groups of identical images, {duplicates.AcrossClasses} across classes[/]");
        foreach (var group in duplicates.First.Take(5))
        {
            AnsiConsole.MarkupLine($"  {(group.AcrossClasses ? "[red]across classes[/] " : string.Empty)}{Markup.Escape(string.Join(" = ", group.Samples))}");
        }

        if (report.ContactSheet is not null)
        {
            AnsiConsole.MarkupLine($"contact sheet: {Markup.Escape(report.ContactSheet)}");
        }
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Counts(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value.ToString("N0", CultureInfo.InvariantCulture)}"));
}
