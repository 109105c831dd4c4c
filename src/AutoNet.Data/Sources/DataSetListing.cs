namespace AutoNet.Data.Sources;

/// <summary>
/// What a source found: class names (index = label, in a stable order), the labelled samples, and every entry
/// left out with its reason. Nothing has been decoded.
/// </summary>
public sealed class DataSetListing
{
    public DataSetListing(string source, IReadOnlyList<string> classNames, IReadOnlyList<LabelledSample> samples, IReadOnlyList<SkippedEntry> skipped)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(skipped);
        foreach (var sample in samples)
        {
            if (sample.Label < 0 || sample.Label >= classNames.Count)
            {
                throw new ArgumentException($"sample '{sample.Key}' has label {sample.Label}, expected 0..{classNames.Count - 1}", nameof(samples));
            }
        }

        Source = source;
        ClassNames = classNames;
        Samples = samples;
        Skipped = skipped;
    }

    /// <summary>The folder, manifest or built-in name the listing came from.</summary>
    public string Source { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlyList<LabelledSample> Samples { get; }

    public IReadOnlyList<SkippedEntry> Skipped { get; }

    /// <summary>
    /// A short report of what was skipped: the count per reason with the first few paths of each, for a terminal
    /// (the full list is <see cref="Skipped"/>). Empty when nothing was skipped.
    /// </summary>
    public string SkippedSummary(int pathsPerReason = 3)
    {
        var text = new System.Text.StringBuilder();
        foreach (var group in Skipped.GroupBy(s => s.Reason).OrderBy(g => g.Key))
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{group.Count()} skipped ({group.Key}): ");
            text.Append(string.Join(", ", group.Take(pathsPerReason).Select(s => s.Path)));
            text.AppendLine(group.Count() > pathsPerReason ? ", …" : string.Empty);
        }

        return text.ToString();
    }

    /// <summary>Samples per class, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var sample in Samples)
        {
            counts[sample.Label]++;
        }

        return counts;
    }
}
