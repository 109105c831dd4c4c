namespace AutoNet.Scheduling.Search;

/// <summary>The best trial so far: the highest validation accuracy any epoch of any trial reached.</summary>
public sealed record BestTrial(long TrialId, int TrialNumber, int Epoch, double ValidationAccuracy);
