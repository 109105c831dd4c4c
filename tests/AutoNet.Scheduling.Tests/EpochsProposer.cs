namespace AutoNet.Scheduling.Tests;

/// <summary>Proposes distinct trials whose hyperparameters carry their epoch budget (as AutoNet.Store's ledger requires), remembering what it was told.</summary>
internal sealed class EpochsProposer(int epochs) : ITrialProposer
{
    private int proposed;

    public List<(int Number, TrialEndState State, double? Score)> Told { get; } = [];

    public bool IsExhausted => false;

    public TrialProposal? Propose() => new("{}", $"genotype-{++proposed}", $$"""{"epochs":{{epochs}}}""", epochs);

    public void Tell(int trialNumber, TrialEndState state, double? score) => Told.Add((trialNumber, state, score));
}
