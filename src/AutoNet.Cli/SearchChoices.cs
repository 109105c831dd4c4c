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
    IReadOnlyList<string> Reasons);
