namespace AutoNet.Store;

/// <summary>
/// The immutable record of a finished trial (Completed, Pruned or Failed), with its learning curve and
/// artifacts: what strategies are told, what duplicate reuse returns, what compare and export read.
/// </summary>
public sealed record FrozenTrial(Trial Trial, IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<Artifact> Artifacts)
{
    public long Id => Trial.Id;

    public TrialState State => Trial.State;
}
