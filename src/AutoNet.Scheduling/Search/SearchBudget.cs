namespace AutoNet.Scheduling.Search;

/// <summary>
/// When a search stops: after a wall time, a number of trials, or a number of epochs trained over all trials
/// (whichever comes first; null means no limit of that kind).
/// </summary>
public sealed record SearchBudget(TimeSpan? WallTime = null, int? MaxTrials = null, long? MaxEpochs = null)
{
    public void Validate()
    {
        if (WallTime is { } wall && wall <= TimeSpan.Zero)
        {
            throw new ArgumentException($"search budget WallTime = {wall}: expected a positive duration");
        }

        if (MaxTrials is < 1)
        {
            throw new ArgumentException($"search budget MaxTrials = {MaxTrials}: expected at least 1");
        }

        if (MaxEpochs is < 1)
        {
            throw new ArgumentException($"search budget MaxEpochs = {MaxEpochs}: expected at least 1");
        }

        if (WallTime is null && MaxTrials is null && MaxEpochs is null)
        {
            throw new ArgumentException("a search budget needs a wall time, a number of trials or a number of epochs");
        }
    }
}
