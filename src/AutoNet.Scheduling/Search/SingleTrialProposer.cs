namespace AutoNet.Scheduling.Search;

/// <summary>
/// Proposes one given trial, once: the final training of a search's winner runs through the same coordinator, jobs
/// and store as the search's trials (checkpoints, recovery, resume), with nothing left to decide.
/// </summary>
public sealed class SingleTrialProposer(TrialProposal proposal) : ITrialProposer
{
    private bool proposed;

    public bool IsExhausted => proposed;

    public TrialProposal? Propose()
    {
        if (proposed)
        {
            return null;
        }

        proposed = true;
        return proposal;
    }

    public void Tell(int trialNumber, TrialEndState state, double? score)
    {
    }
}
