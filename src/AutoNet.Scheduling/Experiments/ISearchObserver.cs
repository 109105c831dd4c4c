using AutoNet.Data;
using AutoNet.Scheduling.Search;
using AutoNet.Store;

namespace AutoNet.Scheduling.Experiments;

/// <summary>What an <see cref="ExperimentSearch"/> tells whoever shows it (the CLI's progress lines or JSON).</summary>
public interface ISearchObserver
{
    /// <summary>Where the decoded cache's build reports its progress; null for none.</summary>
    IProgress<DataProgress>? CacheProgress();

    /// <summary>One line worth telling the user (what the final training will train, say).</summary>
    void Note(string line);

    /// <summary>Follows a running phase (the search, then the final training) until <paramref name="cancellationToken"/> ends it.</summary>
    Task WatchAsync(IExperimentStore store, Experiment experiment, SearchCoordinator coordinator, CancellationToken cancellationToken);
}
