namespace AutoNet.Cli;

/// <summary>`autonet search` as parsed; null means "choose it" (or "not given").</summary>
public sealed record SearchRequest
{
    public string? Data { get; init; }

    public string? Space { get; init; }

    public string? Strategy { get; init; }

    public string? Scheduler { get; init; }

    public TimeSpan? TimeBudget { get; init; }

    public int? MaxTrials { get; init; }

    public long? MaxEpochs { get; init; }

    public int? Resolution { get; init; }

    /// <summary>Search trials train on a stratified subset of this many training images.</summary>
    public int? SearchImages { get; init; }

    /// <summary>After the search, train the winner again on every training image for about this long; zero: no final training, whatever the budget.</summary>
    public TimeSpan? FinalTraining { get; init; }

    /// <summary>A transfer search's starting point: a torchvision .pth or safetensors state dict, or a model package folder.</summary>
    public string? BackboneWeights { get; init; }

    public string Device { get; init; } = "auto";

    public int? Workers { get; init; }

    /// <summary>Trial slots of worker machines expected to join (PostgreSQL): kept queued beyond this machine's own.</summary>
    public int RemoteSlots { get; init; }

    public string Workspace { get; init; } = CliStore.DefaultWorkspace;

    public string? Store { get; init; }

    public string? Experiment { get; init; }

    public int Seed { get; init; }

    public string? Resume { get; init; }

    public bool Json { get; init; }

    /// <summary>Live terminal view; null decides by whether stdout is a terminal.</summary>
    public bool? Live { get; init; }

    public string StoreLocation => Store ?? CliStore.DefaultLocation(Workspace);
}
