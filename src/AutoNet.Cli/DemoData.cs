
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Cli;

/// <summary>
/// The data of the no-argument demo: Fashion-MNIST's whole training part and a class-balanced, seeded share of its
/// official test part (enough for a test accuracy within about a point, few enough that every completed trial is
/// tested in seconds). The stored split names exactly these samples, so a worker or a resumed search restricts the
/// full listing to them.
/// </summary>
public static class DemoData
{
    public const int TrainImages = 60_000;

    public const int TestImages = 2_000;

    public static DataSetListing Open(int seed, int trainImages = TrainImages, int testImages = TestImages) =>
        Subset(BuiltInDataSets.Open(BuiltInDataSets.FashionMnistName), seed, trainImages, testImages);

    /// <summary>
    /// Per given split, the same number of samples of each class (chosen with <paramref name="seed"/>), kept in listing order.
    /// </summary>
    public static DataSetListing Subset(DataSetListing listing, int seed, int trainImages, int testImages)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(seed);
        foreach (var (part, count) in new[] { (SplitPart.Train, trainImages), (SplitPart.Test, testImages) })
        {
            var perClass = Math.Max(1, count / listing.ClassNames.Count);
            foreach (var group in listing.Samples.Where(s => (s.GivenSplit ?? SplitPart.Train) == part).GroupBy(s => s.Label))
            {
                var candidates = group.OrderBy(s => s.Key, StringComparer.Ordinal).ToArray();
                random.Shuffle(candidates);
                keep.UnionWith(candidates.Take(perClass).Select(s => s.Key));
            }
        }

        return new DataSetListing(listing.Source, listing.ClassNames, [.. listing.Samples.Where(s => keep.Contains(s.Key))], listing.Skipped);
    }
}
