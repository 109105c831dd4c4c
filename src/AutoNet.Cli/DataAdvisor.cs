using System.Globalization;
using AutoNet.Data;
using AutoNet.Data.Decoding;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Cli;

/// <summary>
/// Chooses what the user left out from what the data is: its size, the typical image side (read from up to 64 image
/// headers) and the class count, and whether a GPU trains. The rules are deliberately few and each choice says why.
/// </summary>
public static class DataAdvisor
{
    /// <summary>Imbalance ratio (largest class over smallest) from which the loss is weighted by class.</summary>
    public const double ImbalanceForWeights = 1.5;

    public static SearchChoices Choose(DataSetListing listing, DataSplit split, SearchRequest request, bool gpu)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(request);
        var reasons = new List<string>();
        var samples = listing.Samples.Count;
        var classes = listing.ClassNames.Count;
        var side = TypicalSide(listing);

        var resolution = request.Resolution ?? (side <= 32 ? side : gpu ? Math.Min(side, 96) : Math.Min(side, 64));
        if (request.Resolution is null)
        {
            reasons.Add(side <= 32
                ? Text($"resolution {resolution}: the images are {side} px, small enough to train as they are")
                : Text($"resolution {resolution}: the images are about {side} px; {(gpu ? "a GPU" : "the CPU")} trains many candidates faster at {resolution} px"));
        }

        var space = request.Space ?? (gpu && resolution >= 32 ? "darts" : "macro-cnn");
        if (request.Space is null)
        {
            reasons.Add(space == "darts"
                ? "space darts: a GPU can afford cell-based networks (DARTS operations), the strongest family on small images"
                : Text($"space macro-cnn: plain/residual convolution stacks train in seconds per epoch on {(gpu ? "small images" : "a CPU")}"));
        }

        TimeSpan? time = request.TimeBudget;
        if (time is null && request.MaxTrials is null && request.MaxEpochs is null)
        {
            time = samples <= 5_000 ? TimeSpan.FromMinutes(15) : samples <= 50_000 ? TimeSpan.FromMinutes(60) : TimeSpan.FromHours(3);
            reasons.Add(Text($"time budget {Durations.Format(time.Value)}: {samples:N0} images in {classes} classes"));
        }

        var strategy = request.Strategy ?? (gpu || (time ?? TimeSpan.Zero) >= TimeSpan.FromHours(1) || request.MaxTrials >= 40 ? "evolution" : "random");
        if (request.Strategy is null)
        {
            reasons.Add(strategy == "evolution"
                ? "strategy evolution: the budget allows tens of trials, enough for aging evolution to beat random search"
                : "strategy random: with a dozen or so trials, model-based strategies have too few results to learn from; random search is the honest baseline");
        }

        var scheduler = request.Scheduler ?? "asha";
        if (request.Scheduler is null)
        {
            reasons.Add("scheduler asha: weak candidates stop after their first rung, so the budget goes to the promising ones");
        }

        var balance = split.Balance(SplitPart.Train);
        var weights = balance.ImbalanceRatio >= ImbalanceForWeights;
        if (weights)
        {
            reasons.Add(Text($"class weights on: the largest class has {balance.ImbalanceRatio:F1}x the images of the smallest"));
        }

        return new SearchChoices(space, strategy, scheduler, resolution, time, request.MaxTrials, request.MaxEpochs, weights, reasons);
    }

    /// <summary>The median shorter side of up to 64 images spread over the listing.</summary>
    public static int TypicalSide(DataSetListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        if (listing.Samples.Count == 0)
        {
            throw new CliException($"the data set '{listing.Source}' has no usable images");
        }

        var step = Math.Max(1, listing.Samples.Count / 64);
        var picked = Enumerable.Range(0, Math.Min(64, listing.Samples.Count)).Select(i => listing.Samples[Math.Min(listing.Samples.Count - 1, i * step)]).ToArray();
        var sides = new List<int>();
        foreach (var sample in picked)
        {
            try
            {
                if (sample.ItemIndex >= 0)
                {
                    // An IDX item: the file's header holds [count, height, width].
                    var dimensions = IdxSource.ReadHeader(sample.Path).Dimensions;
                    sides.Add(Math.Min(dimensions[^2], dimensions[^1]));
                    continue;
                }

                var info = ImageDecoder.Default.ReadInfoFile(sample.Path);
                sides.Add(Math.Min(info.Width, info.Height));
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or DataSetException)
            {
                // An unreadable image is reported when the cache is built; it says nothing about the typical size.
            }
        }

        sides.Sort();
        return sides.Count == 0 ? 32 : sides[sides.Count / 2];
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
