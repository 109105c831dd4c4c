using AutoNet.Data.Sources;

namespace AutoNet.Data.Splits;

/// <summary>
/// Splits a listing into train, validation and test, class by class, seeded. Samples the source gave a split keep
/// it (when <see cref="HonourGivenSplit"/>); when the source gave a test part but no validation part, validation is
/// carved out of the given training samples, and in general the samples left to assign are spread over the parts
/// the source did not supply, with the fractions renormalised. Within a class the samples are ordered by key and
/// shuffled with the seed, so the split depends on the seed and the data, not on listing order. A class with at
/// least as many samples as parts gets at least one in each; a class with one sample goes to train.
/// </summary>
public sealed class StratifiedSplitter
{
    private static readonly SplitPart[] AllParts = [SplitPart.Train, SplitPart.Validation, SplitPart.Test];

    public StratifiedSplitter(SplitFractions? fractions = null, int seed = 0)
    {
        Fractions = fractions ?? SplitFractions.Default;
        Fractions.Validate();
        Seed = seed;
    }

    public SplitFractions Fractions { get; }

    public int Seed { get; }

    public bool HonourGivenSplit { get; init; } = true;

    public DataSplit Split(DataSetListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var given = HonourGivenSplit
            ? listing.Samples.Where(s => s.GivenSplit is not null).Select(s => s.GivenSplit!.Value).ToHashSet()
            : [];

        // A source that gives only "train" gives nothing to keep: everything is split.
        if (given.Count == 1 && given.Contains(SplitPart.Train))
        {
            given.Clear();
        }

        var assignments = new Dictionary<string, SplitPart>(StringComparer.Ordinal);
        var pools = new List<LabelledSample>[listing.ClassNames.Count];
        for (var c = 0; c < pools.Length; c++)
        {
            pools[c] = [];
        }

        foreach (var sample in listing.Samples)
        {
            var split = HonourGivenSplit ? sample.GivenSplit : null;
            var keep = split is SplitPart.Validation or SplitPart.Test
                || (split is SplitPart.Train && given.Contains(SplitPart.Validation));
            if (keep)
            {
                Assign(assignments, sample.Key, split!.Value, listing.Source);
            }
            else
            {
                pools[sample.Label].Add(sample);
            }
        }

        var parts = AllParts.Where(p => Fractions[p] > 0 && (p == SplitPart.Train || !given.Contains(p))).ToArray();
        var fractionSum = parts.Sum(p => Fractions[p]);
        var fractions = parts.Select(p => Fractions[p] / fractionSum).ToArray();
        var random = new Random(Seed);
        foreach (var pool in pools)
        {
            pool.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            for (var i = pool.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }

            var counts = Allocate(pool.Count, fractions);
            var next = 0;
            for (var p = 0; p < parts.Length; p++)
            {
                for (var k = 0; k < counts[p]; k++)
                {
                    Assign(assignments, pool[next++].Key, parts[p], listing.Source);
                }
            }
        }

        return DataSplit.Create(Seed, Fractions, listing, assignments);
    }

    /// <summary>
    /// Whole counts for n samples over parts with the given fractions (the first part is train): largest remainders,
    /// then at least one per part when n allows, else at least one in train.
    /// </summary>
    internal static int[] Allocate(int n, IReadOnlyList<double> fractions)
    {
        var counts = new int[fractions.Count];
        if (n == 0)
        {
            return counts;
        }

        var ideal = fractions.Select(f => n * f).ToArray();
        for (var p = 0; p < counts.Length; p++)
        {
            counts[p] = (int)Math.Floor(ideal[p] + 1e-9);
        }

        var order = Enumerable.Range(0, counts.Length).OrderByDescending(p => ideal[p] - counts[p]).ThenBy(p => p).ToArray();
        var remainder = n - counts.Sum();
        for (var r = 0; r < remainder; r++)
        {
            counts[order[r % order.Length]]++;
        }

        var needed = n >= counts.Length ? Enumerable.Range(0, counts.Length) : [0];
        foreach (var p in needed.ToList())
        {
            if (counts[p] == 0)
            {
                var donor = Enumerable.Range(0, counts.Length).OrderByDescending(q => counts[q]).ThenBy(q => q).First();
                counts[donor]--;
                counts[p]++;
            }
        }

        return counts;
    }

    private static void Assign(Dictionary<string, SplitPart> assignments, string key, SplitPart part, string source)
    {
        if (!assignments.TryAdd(key, part))
        {
            throw new DataSetException(source, $"data set '{source}' lists the sample key '{key}' twice; keys must be unique to split");
        }
    }
}
