namespace AutoNet.Search.MultiFidelity;

/// <summary>A paused trial to continue from its checkpoint, and the epoch to train it to.</summary>
public sealed record TrialResumption(int TrialNumber, int TargetEpoch);
