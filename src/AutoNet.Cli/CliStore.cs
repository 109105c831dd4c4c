using System.Text.Json;
using AutoNet.Data;
using AutoNet.Data.Cache;
using AutoNet.Models.Genotypes;
using AutoNet.Search.Spaces;
using AutoNet.Store;
using Npgsql;

namespace AutoNet.Cli;

/// <summary>Where the commands find the experiment store, and how they open it for reading or for a search.</summary>
public static class CliStore
{
    /// <summary>The workspace every command defaults to (caches, trial folders, the embedded store).</summary>
    public const string DefaultWorkspace = ".autonet";

    /// <summary>
    /// The embedded store of a workspace. Its engine is the one that wrote the file (a store of an earlier AutoNet is
    /// SQLite and stays so), or <see cref="ExperimentStore.DefaultEmbeddedEngine"/> for a new one.
    /// </summary>
    public static string DefaultLocation(string workspace) => Path.Join(workspace, ExperimentStore.DefaultFileName);

    /// <summary>The file of an embedded store location, without its engine prefix (<c>litedb:</c>, <c>sqlite:</c>).</summary>
    public static string FilePath(string location) => ExperimentStore.EmbeddedEngine(location).Path;

    /// <summary>
    /// Opens a store that must already exist (experiments, leaderboard, worker): a missing SQLite file is an error
    /// rather than a new empty store, and a file that is not an AutoNet store is refused untouched.
    /// </summary>
    public static async Task<IExperimentStore> OpenExistingAsync(string location, CancellationToken cancellationToken)
    {
        if (!ExperimentStore.IsPostgres(location) && !File.Exists(FilePath(location)))
        {
            throw new CliException($"no experiment store at '{Path.GetFullPath(FilePath(location))}': run `autonet search` first, or name one with --store");
        }

        return await OpenAsync(location, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens (creating when absent) an embedded store file or a PostgreSQL database.</summary>
    public static async Task<IExperimentStore> OpenAsync(string location, CancellationToken cancellationToken)
    {
        if (!ExperimentStore.IsPostgres(location))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(FilePath(location)));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
        }

        return await ExperimentStore.OpenAsync(location, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses, before anything is created, a training process (search or worker) that would write into the data
    /// folder of <paramref name="dataSource"/>: its workspace, decoded cache, and for an embedded store the store file and
    /// the files beside it (locks, LiteDB's log, the job store an earlier version kept), all pass the one <see cref="WorkspaceGuard"/>.
    /// </summary>
    public static void EnsureOutsideData(string workspace, string location, string dataSource)
    {
        ArgumentNullException.ThrowIfNull(location);
        string[] paths = ExperimentStore.IsPostgres(location)
            ? [workspace, DecodedCache.CacheRoot(workspace)]
            : [workspace, DecodedCache.CacheRoot(workspace), FilePath(location), StoreLock.PathOf(FilePath(location)),
                FilePath(location) + ".litedb-lock", ExperimentStore.LiteDbLogPath(FilePath(location)), JobStoreFile(FilePath(location))];
        WorkspaceGuard.EnsureOutside(paths, dataSource);
    }

    /// <summary>
    /// Runs <paramref name="read"/>, which parses or rebuilds what the store holds for <paramref name="what"/> (a
    /// trial's genotype and hyperparameters, an experiment's space and plan): a value that does not parse, changed
    /// outside AutoNet or damaged, becomes one message naming the store and the value instead of a stack trace.
    /// </summary>
    public static T ReadStored<T>(IExperimentStore store, string what, Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or KeyNotFoundException or GenotypeException
            or SearchSpaceException or SearchSampleException
            // The stored split is read as a data set's split file; a missing data folder (no inner cause) stays as it is.
            or DataSetException { InnerException: JsonException or FormatException or InvalidOperationException })
        {
            throw new CliException($"{what} in the store {store.Location} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Deletes the SQLite file an earlier AutoNet kept beside a LiteDB store for Quartz's job store (a SQLite store
    /// kept those tables inside, and drops them itself): the jobs a search needs are dispatched again from the store.
    /// </summary>
    public static void RemoveLegacyJobStore(string location)
    {
        if (ExperimentStore.IsPostgres(location))
        {
            return;
        }

        var file = JobStoreFile(FilePath(location));
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            File.Delete(path);
        }
    }

    /// <summary>An Npgsql connection string for a PostgreSQL store location (a connection string or a postgres:// URI).</summary>
    public static string PostgresConnectionString(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.Contains("://", StringComparison.Ordinal))
        {
            return location;
        }

        var uri = new Uri(location);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user[0]);
        }

        if (user.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }

        return builder.ConnectionString;
    }

    private static string JobStoreFile(string storePath) => Path.GetFullPath(storePath) + ".jobs.sqlite";

    /// <summary>The experiment called <paramref name="name"/>, or a <see cref="CliException"/> listing the ones there are.</summary>
    public static async Task<Experiment> ExperimentAsync(IExperimentStore store, string name, CancellationToken cancellationToken)
    {
        if (await store.GetExperimentAsync(name, cancellationToken).ConfigureAwait(false) is { } experiment)
        {
            return experiment;
        }

        var known = (await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Experiment.Name).ToList();
        throw new CliException($"no experiment '{name}' in the store {store.Location}; "
            + (known.Count == 0 ? "it has no experiments" : $"it has: {string.Join(", ", known)}"));
    }
}
