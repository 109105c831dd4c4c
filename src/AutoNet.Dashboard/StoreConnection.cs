using AutoNet.Store;

namespace AutoNet.Dashboard;

/// <summary>
/// The dashboard's one read-only handle on the store, opened on first use and again after a failure, so a dashboard
/// started before the first search shows the store once it exists. It never creates, migrates or writes the store.
/// </summary>
internal sealed class StoreConnection : IAsyncDisposable
{
    private readonly string _location;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IExperimentStore? _store;

    public StoreConnection(string location) => _location = location;

    /// <summary>Where the store is, for messages (never a password).</summary>
    public string Description => ExperimentStore.IsPostgres(_location) ? "the PostgreSQL store" : $"'{Path.GetFullPath(ExperimentStore.EmbeddedEngine(_location).Path)}'";

    /// <summary>The open store, or a <see cref="DashboardNotFoundException"/> saying why there is none to read.</summary>
    public async Task<IExperimentStore> GetAsync(CancellationToken cancellationToken)
    {
        if (_store is { } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store is null)
            {
                if (!ExperimentStore.IsPostgres(_location) && !File.Exists(ExperimentStore.EmbeddedEngine(_location).Path))
                {
                    throw new DashboardNotFoundException($"there is no experiment store at {Description} yet: run `autonet search` first, or name one with --store");
                }

                try
                {
                    _store = await ExperimentStore.OpenAsync(_location, new StoreOptions { ReadOnly = true }, cancellationToken).ConfigureAwait(false);
                }
                catch (StoreFormatException e)
                {
                    throw new DashboardNotFoundException(e.Message, e);
                }
            }

            return _store;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }
}
