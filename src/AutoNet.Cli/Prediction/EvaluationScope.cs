using System.Globalization;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// Which images of a labelled data set a package is evaluated on, and the sentence that says so. Without --split: every
/// image, unless the data names its own test part (a test/ folder, a manifest's split column, Fashion-MNIST's test set),
/// which is then taken, since whoever laid the data out kept those images for testing and the others may well have
/// trained the model. With --split: that part, as the data gives it, else from a seeded stratified split.
/// </summary>
public sealed record EvaluationScope(string Split, IReadOnlyList<SplitPart> Parts, string Description)
{
    public const string All = "all";

    private static readonly SplitPart[] AllParts = [SplitPart.Train, SplitPart.Validation, SplitPart.Test];

    /// <summary>The --split values, in the order help lists them.</summary>
    public static IReadOnlyList<string> Choices { get; } = [All, "train", "validation", "test"];

    /// <summary>
    /// The scope <paramref name="split"/> (null: the default above) names for <paramref name="listing"/>; an
    /// <see cref="CliException"/> naming the value when it is none of <see cref="Choices"/>.
    /// </summary>
    public static EvaluationScope Resolve(string? split, DataSetListing listing, SplitFractions fractions, int seed)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(fractions);
        var given = GivenParts(listing);
        var total = listing.Samples.Count;
        if (split is null)
        {
            return given.Contains(SplitPart.Test)
                ? new EvaluationScope("test", [SplitPart.Test],
                    $"the test part the data gives ({Count(listing, SplitPart.Test)} of its {Images(total)}; --split all for every image)")
                : new EvaluationScope(All, AllParts, $"every image of the data ({Images(total)})");
        }

        var part = split.ToLowerInvariant() switch
        {
            All => (SplitPart?)null,
            "train" => SplitPart.Train,
            "validation" or "val" => SplitPart.Validation,
            "test" => SplitPart.Test,
            _ => throw new CliException($"--split must be one of {string.Join(", ", Choices)}, got '{split}'"),
        };
        if (part is not { } chosen)
        {
            return new EvaluationScope(All, AllParts, $"every image of the data ({Images(total)})");
        }

        var name = Choices[(int)chosen + 1];
        var fractionText = string.Join("/", AllParts.Select(p => (fractions[p] * 100).ToString("0.#", CultureInfo.InvariantCulture)));
        var description = given.Contains(chosen)
            ? $"the {name} part the data gives"
            : given.Count == 0
                ? $"the {name} part of a stratified {fractionText} split, seed {seed}"
                : $"the {name} part of a stratified split, seed {seed}, of the images the data does not assign itself";
        return new EvaluationScope(name, [chosen], $"{description}, of the data's {Images(total)}");
    }

    /// <summary>The parts the data assigns itself, as <see cref="StratifiedSplitter"/> keeps them (a lone train part assigns nothing).</summary>
    private static HashSet<SplitPart> GivenParts(DataSetListing listing)
    {
        var given = listing.Samples.Where(s => s.GivenSplit is not null).Select(s => s.GivenSplit!.Value).ToHashSet();
        if (given.Count == 1 && given.Contains(SplitPart.Train))
        {
            given.Clear();
        }

        // Given train images are re-split into train and validation when the data gives no validation part.
        if (!given.Contains(SplitPart.Validation))
        {
            given.Remove(SplitPart.Train);
        }

        return given;
    }

    private static int Count(DataSetListing listing, SplitPart part) => listing.Samples.Count(s => s.GivenSplit == part);

    private static string Images(int count) => count == 1 ? "1 image" : string.Create(CultureInfo.InvariantCulture, $"{count:N0} images");
}
