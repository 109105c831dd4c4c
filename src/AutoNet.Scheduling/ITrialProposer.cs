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

    /// <summary>
    /// The store added the proposal just returned by <see cref="Propose"/> as trial <paramref name="trialNumber"/>, the
    /// number <see cref="Tell"/> will name; a proposer that must map results back to what it proposed records it here.
    /// </summary>
    void Added(int trialNumber, TrialProposal proposal)
    {
    }

    /// <summary>A trial ended: its best validation accuracy, or null when it failed.</summary>
    void Tell(int trialNumber, TrialEndState state, double? score);
}
