using AutoNet.Store;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>Trial rows as the store returns them, with only what winner choices read filled in.</summary>
internal static class StoredTrials
{
    public static Trial Make(long number, TrialState state, long epochs, double? score, TrialRole role = TrialRole.Search) =>
        new(number, 1, number, "{}", $"g{number}", "{}", $"c{number}", state, null, null, null, DateTimeOffset.UnixEpoch, null, null, null, 1,
            null, null, epochs, score, null, null, role);
}
