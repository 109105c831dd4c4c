namespace AutoNet.Search.MultiFidelity;

/// <summary>
/// What the store remembers of one trial when a search resumes: the epochs it trained, the score of each, and
/// whether it has ended (<paramref name="Finished"/>; <paramref name="Failed"/> when it ended by failing).
/// </summary>
public sealed record TrialHistory(int TrialNumber, int EpochsDone, IReadOnlyList<EpochScore> Scores, bool Finished, bool Failed);
