using System.Globalization;
using System.Text;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Loading;

/// <summary>
/// Samples per class, the imbalance ratio (largest class over smallest non-empty class) and class weights for a
/// weighted loss: inverse frequency as scikit-learn's <c>compute_class_weight("balanced")</c>, n / (k · count),
/// so the weights averaged over the samples are 1 (k counts non-empty classes; an empty class gets weight 0).
/// </summary>
public sealed class ClassBalance
{
    public ClassBalance(IReadOnlyList<string> classNames, IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(counts);
        if (classNames.Count != counts.Count)
        {
            throw new ArgumentException($"{classNames.Count} class names but {counts.Count} counts");
        }

        if (counts.Any(c => c < 0))
        {
            throw new ArgumentException("class counts cannot be negative", nameof(counts));
        }

        ClassNames = classNames;
        Counts = [.. counts];
        var present = counts.Where(c => c > 0).ToList();
        var total = counts.Sum(c => (long)c);
        ImbalanceRatio = present.Count == 0 ? double.NaN : (double)present.Max() / present.Min();
        Weights = [.. counts.Select(c => c == 0 ? 0.0 : total / ((double)present.Count * c))];
    }

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlyList<int> Counts { get; }

    /// <summary>Largest class count over the smallest non-empty one (1 = balanced; NaN when every class is empty).</summary>
    public double ImbalanceRatio { get; }

    /// <summary>Per-class loss weights, indexed by label.</summary>
    public IReadOnlyList<double> Weights { get; }

    public static ClassBalance Of(DataSetListing listing) => new(listing.ClassNames, listing.ClassCounts());

    /// <summary>A plain-text report: one line per class with its count, share and weight, then the imbalance ratio.</summary>
    public string Report()
    {
        var total = Math.Max(1, Counts.Sum());
        var width = ClassNames.Count == 0 ? 5 : Math.Max(5, ClassNames.Max(n => n.Length));
        var text = new StringBuilder();
        for (var i = 0; i < ClassNames.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{ClassNames[i].PadRight(width)}  {Counts[i],8}  {100.0 * Counts[i] / total,6:F2}%  weight {Weights[i]:F4}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"imbalance ratio (largest / smallest class): {ImbalanceRatio:F2}");
        return text.ToString();
    }
}
