using System.Diagnostics;
using LiteDB;

namespace AutoNet.Store.Lite;

/// <summary>
/// The one way AutoNet opens a LiteDB store file, so every opener uses the same mode (LiteDB #2163: a direct and a
/// shared opener of one file silently lose writes on Linux). Each operation takes an exclusive lock on
/// <c>&lt;file&gt;.litedb-lock</c>, opens the file in direct mode, runs one transaction, and closes it (which
/// checkpoints LiteDB's log into the file): what LiteDB's shared mode does, without its lock. Shared mode's lock is a
/// named mutex kept in .NET's shared-memory folder under the temp directory: processes with different TMPDIRs do not
/// see each other's, its wait has no timeout, and with several writer processes it deadlocked here (every process
/// waiting on the mutex, none in an operation; MultiProcessWriterTests on 5.0.21). The kernel drops the lock file's
/// lock when its holder dies, kill -9 included, and a waiter gives up after <see cref="StoreOptions.BusyTimeout"/>.
/// </summary>
internal sealed class LiteFile : IAsyncDisposable
{
    /// <summary>The version of AutoNet's collections and indexes; append-only like the SQL migrations.</summary>
    public const int SchemaVersion = 1;

    private const string SchemaId = "schema";

    private static readonly string[] OurCollections =
        [LiteDocuments.Meta, LiteDocuments.Experiments, LiteDocuments.Trials, LiteDocuments.Epochs, LiteDocuments.Artifacts];

    // A semaphore, not a lock statement: under load the test suite once found this gate held, twice over, by an idle pool
    // thread (a dump's syncblk), which a Monitor cannot recover from. A semaphore is not tied to a thread and its wait
    // is bounded, so the worst case is a clear error naming the store instead of a process that hangs.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly BsonMapper _mapper = new();
    private readonly string _path;
    private readonly string _lockPath;

    private LiteFile(string path, StoreOptions options)
    {
        _path = path;
        _lockPath = LockPathOf(path);
        Options = options;
    }

    public StoreOptions Options { get; }

    public string Location => $"'{_path}'";

    /// <summary>The database file.</summary>
    public string FilePath => _path;

    /// <summary>The lock file every AutoNet opener of the store takes for each operation.</summary>
    public static string LockPathOf(string path) => Path.GetFullPath(path) + ".litedb-lock";

    /// <summary>LiteDB's write-ahead log beside a data file: <c>autonet.db</c> → <c>autonet-log.db</c>.</summary>
    public static string LogPathOf(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + "-log" + Path.GetExtension(full));
    }

    public static async Task<LiteFile> OpenAsync(string path, StoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new StoreFormatException($"'{full}' is a directory, not an AutoNet store file");
        }

        if (options.ReadOnly && (!File.Exists(full) || new FileInfo(full).Length == 0))
        {
            throw new StoreFormatException($"there is no experiment store at '{full}' to read");
        }

        if (!options.ReadOnly)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }

        var file = new LiteFile(full, options);
        try
        {
            await Task.Run(() => file.CheckAndCreate(cancellationToken), cancellationToken).ConfigureAwait(false);
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one transaction on a pool thread, under the lock file and the in-process gate,
    /// and commits (a read commits nothing). What it returns must be materialised: no LiteDB reader may escape.
    /// </summary>
    public Task<T> RunAsync<T>(Func<LiteDatabase, T> body, CancellationToken cancellationToken) =>
        Task.Run(() => Run(body, cancellationToken), cancellationToken);

    // The gate is not disposed: an operation still running when the store is closed must be able to release it
    // (a SemaphoreSlim that never hands out its wait handle holds nothing to free).
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Runs <paramref name="body"/> on the store file at <paramref name="path"/> as AutoNet opens it (tests reach behind the store with it).</summary>
    internal static T WithFile<T>(string path, Func<LiteDatabase, T> body)
    {
        var file = new LiteFile(Path.GetFullPath(path), StoreOptions.Default);
        return file.Run(body, CancellationToken.None);
    }

    private T Run<T>(Func<LiteDatabase, T> body, CancellationToken cancellationToken)
    {
        try
        {
            EnterGate(cancellationToken);
            try
            {
                using var held = AcquireLock(cancellationToken);
                // Our own mapper, used by this file alone and only under the gate: the global one races on first use (#2536).
                using var db = new LiteDatabase(
                    new ConnectionString { Filename = _path, Connection = ConnectionType.Direct, ReadOnly = Options.ReadOnly }, _mapper);
                db.BeginTrans();
                try
                {
                    var result = body(db);
                    db.Commit();
                    return result;
                }
                catch
                {
                    db.Rollback();
                    throw;
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception e) when (e is InvalidDataException or LiteException { ErrorCode: LiteException.INVALID_DATABASE })
        {
            throw new StoreFormatException($"the experiment store {Location} is damaged, or was changed outside AutoNet: {e.Message}", e);
        }
    }

    /// <summary>One operation at a time in this process; the lock file does the same between processes.</summary>
    private void EnterGate(CancellationToken cancellationToken)
    {
        if (!_gate.Wait(Options.BusyTimeout, cancellationToken))
        {
            throw new ExperimentStoreException(
                $"the experiment store {Location} stayed busy for {Options.BusyTimeout.TotalSeconds:0} s with another operation of this process");
        }
    }

    private FileStream AcquireLock(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException) when (clock.Elapsed < Options.BusyTimeout)
            {
                Thread.Sleep(Random.Shared.Next(1, Math.Min(50, 2 + attempt) + 1));
            }
            catch (IOException e)
            {
                throw new ExperimentStoreException(
                    $"the experiment store {Location} stayed locked for {Options.BusyTimeout.TotalSeconds:0} s by another process (it holds {_lockPath})", e);
            }
        }
    }

    /// <summary>Looks before LiteDB writes anything: a file that is not ours must come out exactly as it went in.</summary>
    private void CheckAndCreate(CancellationToken cancellationToken)
    {
        EnterGate(cancellationToken);
        try
        {
            using var held = AcquireLock(cancellationToken);
            var log = LogPathOf(_path);
            var hasData = File.Exists(_path) && new FileInfo(_path).Length > 0;
            if (!hasData && File.Exists(log))
            {
                // LiteDB would replay a stray log into the new file (#2785): it belongs to a store that was deleted or moved.
                throw new StoreFormatException(
                    $"'{log}' is a LiteDB log left beside {Location}, which has no data: it belongs to a store that was deleted or moved, " +
                    "and LiteDB would replay it into a new store. Move it away (or put its data file back) and run again");
            }

            if (hasData && StoreFile.Detect(_path) != StoreEngine.LiteDb)
            {
                throw new StoreFormatException($"{Location} is not an AutoNet store: it is not a LiteDB file");
            }
        }
        finally
        {
            _gate.Release();
        }

        Run(db =>
        {
            var names = db.GetCollectionNames().ToList();
            if (!names.Contains(LiteDocuments.Meta))
            {
                var foreign = names.Where(n => !OurCollections.Contains(n)).ToList();
                if (names.Count > 0)
                {
                    throw new StoreFormatException(
                        $"{Location} is not an AutoNet store: it has collections AutoNet did not create ({string.Join(", ", (foreign.Count > 0 ? foreign : names).Take(8))}) " +
                        $"and no {LiteDocuments.Meta} collection; AutoNet left it untouched");
                }

                if (Options.ReadOnly)
                {
                    throw new StoreFormatException($"{Location} holds no AutoNet store yet: run a search into it first");
                }

                Create(db);
                return 0;
            }

            var version = db.GetCollection(LiteDocuments.Meta).FindById(SchemaId) is { } meta
                ? LiteDocuments.Long(meta, "version", LiteDocuments.Meta)
                : 0;
            if (version > SchemaVersion)
            {
                throw new StoreFormatException(
                    $"{Location} was written by a newer AutoNet (store schema version {version}; this AutoNet knows up to {SchemaVersion}); update AutoNet to open it");
            }

            return 0;
        }, cancellationToken);
    }

    private static void Create(LiteDatabase db)
    {
        var experiments = db.GetCollection(LiteDocuments.Experiments, BsonAutoId.Int64);
        experiments.EnsureIndex("name", "$.name", unique: true);
        experiments.EnsureIndex("state", "$.state");
        var trials = db.GetCollection(LiteDocuments.Trials, BsonAutoId.Int64);
        trials.EnsureIndex("experiment_id", "$.experiment_id");
        trials.EnsureIndex("state", "$.state");
        trials.EnsureIndex("config_hash", "$.config_hash");
        db.GetCollection(LiteDocuments.Epochs).EnsureIndex("trial_id", "$.trial_id");
        db.GetCollection(LiteDocuments.Artifacts, BsonAutoId.Int64).EnsureIndex("trial_id", "$.trial_id");
        db.GetCollection(LiteDocuments.Meta).Insert(new BsonDocument
        {
            ["_id"] = SchemaId,
            ["version"] = (long)SchemaVersion,
            ["description"] = "experiments, trials, epoch metrics, artifacts, trial roles",
        });
    }
}
