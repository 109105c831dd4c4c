namespace AutoNet.Search.MultiFidelity;

/// <summary>One ASHA rung: the scores recorded at its epoch, in arrival order, and which trials left it upwards.</summary>
internal sealed class AshaRung(int epoch)
{
    private readonly List<(int Trial, double Score, long Arrival)> results = [];
    private readonly HashSet<int> promoted = [];

    public int Epoch { get; } = epoch;

    public bool Has(int trial) => results.Exists(r => r.Trial == trial);

    public bool IsPromoted(int trial) => promoted.Contains(trial);

    public void Record(int trial, double score, long arrival) => results.Add((trial, score, arrival));

    public void Promote(int trial) => promoted.Add(trial);

    public bool IsPromotable(int trial, int reductionFactor) =>
        !promoted.Contains(trial) && Top(reductionFactor).Any(r => r.Trial == trial);

    /// <param name="roundUp">keep the top ⌈n/η⌉ rather than ⌊n/η⌋ (no more results will come to this rung)</param>
    public int? BestPromotable(int reductionFactor, IReadOnlySet<int> excluded, bool roundUp = false)
    {
        foreach (var result in Top(reductionFactor, roundUp))
        {
            if (!promoted.Contains(result.Trial) && !excluded.Contains(result.Trial))
            {
                return result.Trial;
            }
        }

        return null;
    }

    public double? CutOff(int reductionFactor)
    {
        var top = Top(reductionFactor).ToArray();
        return top.Length == 0 ? null : top[^1].Score;
    }

    private IEnumerable<(int Trial, double Score, long Arrival)> Top(int reductionFactor, bool roundUp = false) =>
        results.OrderByDescending(r => r.Score).ThenBy(r => r.Arrival)
            .Take(roundUp ? (results.Count + reductionFactor - 1) / reductionFactor : results.Count / reductionFactor);
}
