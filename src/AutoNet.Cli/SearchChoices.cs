namespace AutoNet.Cli;

/// <summary>What a search runs with: each choice the user did not make is chosen from the data, with the reason.</summary>
public sealed record SearchChoices(
    string Space,
    string Strategy,
    string Scheduler,
    int Resolution,
    TimeSpan? TimeBudget,
    int? MaxTrials,
    long? MaxEpochs,
    bool ClassWeights,
    IReadOnlyList<string> Reasons)
{
    /// <summary>Search trials train on a stratified subset of this many training images; null: all.</summary>
    public int? SearchTrainImages { get; init; }

    /// <summary>The winner's final training on every training image, after the search; null: none.</summary>
    public TimeSpan? FinalTraining { get; init; }
}
