using System.Diagnostics;
using System.Globalization;

namespace AutoNet.Store.Tests;

/// <summary>
/// What `autonet experiments`, `autonet leaderboard` and a dashboard do to the store, in a loop, as a child process
/// of the kill tests: list the experiments, rank the leaderboard, list the trials. It prints "read N ms=T ." per round,
/// and "bad ..." for anything a consistent store cannot show (a completed trial without all its epochs, a leaderboard
/// out of order), so torn reads are seen.
/// </summary>
internal static class StoreReader
{
    public static async Task RunAsync(string location)
    {
        await using var store = await ExperimentStore.OpenAsync(location);
        for (var round = 1; ; round++)
        {
            var clock = Stopwatch.StartNew();
            var experiments = await store.ListExperimentsAsync();
            if (experiments.FirstOrDefault(e => e.Experiment.Name == SearchWorkload.ExperimentName) is { } summary)
            {
                var board = await store.GetLeaderboardAsync(summary.Experiment.Id, new LeaderboardQuery(Top: 10));
                var trials = await store.ListTrialsAsync(summary.Experiment.Id);
                for (var i = 1; i < board.Count; i++)
                {
                    if (board[i].BestValidationAccuracy > board[i - 1].BestValidationAccuracy)
                    {
                        Console.WriteLine($"bad leaderboard order at {i} .");
                    }
                }

                foreach (var trial in trials.Where(t => t.State == TrialState.Completed && t.EpochsDone != SearchWorkload.Epochs))
                {
                    Console.WriteLine($"bad completed trial {trial.Id} has {trial.EpochsDone} epochs .");
                }
            }

            Console.WriteLine(FormattableString.Invariant($"read {round} ms={clock.ElapsedMilliseconds} ."));
        }
    }
}
