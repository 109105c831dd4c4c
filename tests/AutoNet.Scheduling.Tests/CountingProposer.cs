namespace AutoNet.Scheduling.Tests;

/// <summary>A proposer of identical-looking trials (distinct genotype hashes), remembering what it was told.</summary>
internal sealed class CountingProposer(int maxEpochs, int? limit = null) : ITrialProposer
{
    private int proposed;

    public List<(int Number, TrialEndState State, double? Score)> Told { get; } = [];

    public bool IsExhausted => limit is { } max && proposed >= max;

    public TrialProposal? Propose()
    {
        proposed++;
        return new TrialProposal("{}", $"genotype-{proposed}", "{}", maxEpochs);
    }

    public void Tell(int trialNumber, TrialEndState state, double? score) => Told.Add((trialNumber, state, score));
}
