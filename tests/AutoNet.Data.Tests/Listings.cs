using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Tests;

/// <summary>Listings built in memory for split tests: class i gets counts[i] samples keyed "c{i}/{j:D4}.png".</summary>
internal static class Listings
{
    public static DataSetListing WithCounts(params int[] counts) => WithCounts(counts, (_, _) => null);

    public static DataSetListing WithCounts(int[] counts, Func<int, int, SplitPart?> given)
    {
        var samples = new List<LabelledSample>();
        for (var c = 0; c < counts.Length; c++)
        {
            for (var j = 0; j < counts[c]; j++)
            {
                var key = $"c{c}/{j:D4}.png";
                samples.Add(new LabelledSample(key, "/data/" + key, c, given(c, j)));
            }
        }

        return new DataSetListing("/data", [.. counts.Select((_, c) => $"c{c}")], samples, []);
    }

    public static int[] PartCounts(DataSplit split, int label) => split.ClassCounts[label];
}
