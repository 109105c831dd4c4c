using AutoNet.Scheduling;

namespace AutoNet.Experiments.SchedulingOverhead;

/// <summary>Distinct one-epoch trials, for ever (the search's trial budget ends them).</summary>
internal sealed class OneEpochProposer : ITrialProposer
{
    private int proposed;

    public bool IsExhausted => false;

    public TrialProposal? Propose() => new("{}", $"g{++proposed}", """{"epochs":1}""", 1);

    public void Tell(int trialNumber, TrialEndState state, double? score)
    {
    }
}
