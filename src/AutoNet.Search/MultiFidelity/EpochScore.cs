namespace AutoNet.Search.MultiFidelity;

/// <summary>The score (validation accuracy) a trial reached after <paramref name="Epoch"/> epochs.</summary>
public sealed record EpochScore(int Epoch, double Score);
