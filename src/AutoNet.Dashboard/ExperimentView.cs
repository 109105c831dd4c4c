using System.Text.Json;
using AutoNet.Scheduling.Experiments;
using AutoNet.Search.MultiFidelity;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Dashboard;

/// <summary>One experiment as the experiments list and the experiment page head show it.</summary>
public sealed record ExperimentView(
    string Name,
    string State,
    string? FailureReason,
    string Data,
    string Space,
    string Strategy,
    string Scheduler,
    long Seed,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    double SearchSeconds,
    double? WallBudgetSeconds,
    int? MaxTrials,
    double? Progress,
    TrialCounts Trials,
    long TotalTrials,
    double? BestValidationAccuracy,
    double? BestTestAccuracy,
    IReadOnlyList<int> Rungs)
{
    public static ExperimentView From(ExperimentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var experiment = summary.Experiment;
        var (wall, maxTrials) = Budget(experiment.BudgetJson);
        double? progress = wall is > 0 ? Math.Min(1, experiment.SearchSeconds / wall.Value)
            : maxTrials is > 0 ? Math.Min(1, (summary.Trials.Completed + summary.Trials.Pruned + summary.Trials.Failed) / (double)maxTrials.Value)
            : null;
        if (experiment.State == ExperimentState.Completed)
        {
            progress = 1;
        }

        return new ExperimentView(experiment.Name, experiment.State.ToString(), experiment.FailureReason, experiment.DataSource, experiment.SearchSpaceName,
            experiment.Strategy, experiment.Scheduler, experiment.Seed, experiment.CreatedAt, experiment.UpdatedAt, experiment.SearchSeconds, wall, maxTrials,
            progress, summary.Trials, summary.Trials.Total, summary.BestValidationAccuracy, summary.BestTestAccuracy, RungsOf(experiment));
    }

    private static (double? Wall, int? MaxTrials) Budget(string json)
    {
        try
        {
            var plan = SearchPlan.FromJson(json);
            return (plan.WallTimeSeconds, plan.MaxTrials);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    /// <summary>The epochs at which ASHA compares trials (empty for another scheduler or a space that cannot be read).</summary>
    private static IReadOnlyList<int> RungsOf(Experiment experiment)
    {
        if (experiment.Scheduler != "asha")
        {
            return [];
        }

        try
        {
            var space = new SearchSpaceReader().Parse(experiment.SearchSpaceJson, $"experiment '{experiment.Name}' space");
            return ((AshaScheduler)EarlyStoppingChoice.Create("asha", EarlyStoppingChoice.MaxEpochs(space))).RungEpochs;
        }
        catch (Exception e) when (e is SearchSpaceException or ArgumentException or InvalidCastException)
        {
            return [];
        }
    }
}
