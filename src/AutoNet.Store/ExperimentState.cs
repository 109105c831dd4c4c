namespace AutoNet.Store;

/// <summary>Where an experiment stands. Stored as its name.</summary>
public enum ExperimentState
{
    Running,
    Stopped,
    Completed,
    Failed,
}
