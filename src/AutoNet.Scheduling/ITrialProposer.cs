namespace AutoNet.Scheduling;

/// <summary>
/// The strategy side of a search as the coordinator sees it (ask/tell): a proposal, <c>null</c> when it has nothing
/// to propose right now (it waits for results), and the results of finished trials. Called from the coordinator's
/// loop only, never concurrently.
/// </summary>
public interface ITrialProposer
{
    /// <summary>The next trial to try; null for "nothing now". <see cref="IsExhausted"/> says whether more will ever come.</summary>
    TrialProposal? Propose();

    /// <summary>True once the proposer will never propose again (a grid that is done).</summary>
    bool IsExhausted { get; }

    /// <summary>A trial ended: its best validation accuracy, or null when it failed.</summary>
    void Tell(int trialNumber, TrialEndState state, double? score);
}
