using AutoNet.Store;

namespace AutoNet.Scheduling;

/// <summary>
/// A new trial a strategy wants trained: its genotype and hyperparameters as JSON (the store keeps them as given;
/// the runner reads them back) and its full epoch budget.
/// </summary>
public sealed record TrialProposal(string GenotypeJson, string GenotypeHash, string HyperparametersJson, int MaxEpochs)
{
    public long? ParameterCount { get; init; }

    public long? Flops { get; init; }

    /// <summary>A search trial, or the final training of the winner (trained on every training image).</summary>
    public TrialRole Role { get; init; } = TrialRole.Search;
}
