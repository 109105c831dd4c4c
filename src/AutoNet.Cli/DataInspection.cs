
using AutoNet.Data.Drawing;
using AutoNet.Data.Inspection;
using AutoNet.Data.Loading;
using AutoNet.Data.Splits;

namespace AutoNet.Cli;

/// <summary>What `autonet data inspect` reports, shaped for --json (camelCase) and for the terminal tables.</summary>
public sealed record DataInspection(
    string Source,
    int Samples,
    IReadOnlyList<DataInspection.ClassRow> Classes,
    double ImbalanceRatio,
    DataInspection.ImageReport Images,
    DataInspection.SkippedReport Skipped,
    DataInspection.DuplicateReport Duplicates,
    DataInspection.SplitReport Split,
    string? ContactSheet)
{
    /// <summary>Entries of long lists shown (the full skipped list is in the CSV file).</summary>
    public const int ListLimit = 20;

    public static DataInspection Create(DataSetSurvey survey, DataSplit split, string skippedFile, string? contactSheet, string? splitFile)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(split);
        var listing = survey.Listing;
        var balance = ClassBalance.Of(listing);
        var total = Math.Max(1, listing.Samples.Count);
        var classes = listing.ClassNames.Select((name, label) => new ClassRow(name, balance.Counts[label], (double)balance.Counts[label] / total,
            balance.Weights[label], split.ClassCounts[label][0], split.ClassCounts[label][1], split.ClassCounts[label][2])).ToList();
        var skipped = listing.Skipped.Select(s => new SkippedRow(s.Path, s.Reason.ToString(), s.Detail))
            .Concat(survey.Failures.Select(f => new SkippedRow(f.Path, f.Failure.ToString(), f.Detail)))
            .ToList();
        return new DataInspection(
            listing.Source,
            listing.Samples.Count,
            classes,
            balance.ImbalanceRatio,
            new ImageReport(survey.Decodable, survey.Sizes, survey.Modes, survey.Formats),
            new SkippedReport(skipped.Count, skipped.GroupBy(s => s.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                skipped.Take(ListLimit).ToList(), skippedFile),
            new DuplicateReport(survey.Duplicates.Count, survey.Duplicates.Count(d => d.AcrossClasses),
                survey.Duplicates.Take(ListLimit).Select(d => new DuplicateRow(d.Sha256, d.AcrossClasses,
                    d.Samples.Select(s => $"{s.Key} ({listing.ClassNames[s.Label]})").ToList())).ToList()),
            new SplitReport(splitFile, split.Seed, split.Fractions, split.Count(SplitPart.Train), split.Count(SplitPart.Validation), split.Count(SplitPart.Test)),
            contactSheet);
    }

    public sealed record ClassRow(string Name, int Count, double Share, double Weight, int Train, int Validation, int Test);

    public sealed record ImageReport(int Decodable, ImageSizeSummary Sizes, IReadOnlyDictionary<string, int> Modes, IReadOnlyDictionary<string, int> Formats);

    public sealed record SkippedReport(int Count, IReadOnlyDictionary<string, int> ByReason, IReadOnlyList<SkippedRow> First, string File);

    public sealed record SkippedRow(string Path, string Reason, string Detail);

    public sealed record DuplicateReport(int Groups, int AcrossClasses, IReadOnlyList<DuplicateRow> First);

    public sealed record DuplicateRow(string Sha256, bool AcrossClasses, IReadOnlyList<string> Samples);

    /// <summary>The split that would be used: from a split file, or made with the seed and fractions.</summary>
    public sealed record SplitReport(string? File, int Seed, SplitFractions Fractions, int Train, int Validation, int Test);
}
