namespace AutoNet.Store.Sql;

/// <summary>
/// The store's schema as an ordered list of migrations. Append new ones; never edit a released one.
/// The version table is the mark of an AutoNet store.
/// </summary>
internal static class Schema
{
    public const string VersionTable = "autonet_schema_version";

    /// <summary>Our tables: a database holding one of these without the version table is not ours to touch.</summary>
    public static readonly string[] Tables = [VersionTable, "experiments", "trials", "epoch_metrics", "artifacts", "trial_checkpoints", "experiment_inputs"];

    public const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS autonet_schema_version (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    public static readonly Migration[] Migrations =
    [
        new(1, "experiments, trials, epoch metrics, artifacts", """
            CREATE TABLE experiments (
                id {id},
                name TEXT NOT NULL UNIQUE,
                data_source TEXT NOT NULL,
                split_json TEXT NOT NULL,
                search_space_name TEXT NOT NULL,
                search_space_json TEXT NOT NULL,
                strategy TEXT NOT NULL,
                scheduler TEXT NOT NULL,
                budget_json TEXT NOT NULL,
                seed BIGINT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('Running', 'Stopped', 'Completed', 'Failed')),
                strategy_state {blob},
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE TABLE trials (
                id {id},
                experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                number BIGINT NOT NULL,
                genotype_json TEXT NOT NULL,
                genotype_hash TEXT NOT NULL,
                hyperparameters_json TEXT NOT NULL,
                config_hash TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('Waiting', 'Running', 'Completed', 'Pruned', 'Failed')),
                failure_reason TEXT,
                worker_id TEXT,
                device TEXT,
                created_at BIGINT NOT NULL,
                started_at BIGINT,
                ended_at BIGINT,
                heartbeat_at BIGINT,
                attempts BIGINT NOT NULL DEFAULT 0,
                parameter_count BIGINT,
                flops BIGINT,
                epochs_done BIGINT NOT NULL DEFAULT 0,
                best_val_accuracy {real},
                test_accuracy {real},
                test_metrics_json TEXT,
                UNIQUE (experiment_id, number)
            );
            CREATE INDEX ix_trials_claim ON trials (experiment_id, state, id);
            CREATE INDEX ix_trials_config ON trials (experiment_id, config_hash, state);
            CREATE INDEX ix_trials_heartbeat ON trials (state, heartbeat_at);
            CREATE TABLE epoch_metrics (
                trial_id BIGINT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
                epoch BIGINT NOT NULL,
                train_loss {real} NOT NULL,
                val_loss {real},
                val_accuracy {real},
                top5_accuracy {real},
                learning_rate {real} NOT NULL,
                seconds {real} NOT NULL,
                memory_bytes BIGINT,
                recorded_at BIGINT NOT NULL,
                PRIMARY KEY (trial_id, epoch)
            );
            CREATE TABLE artifacts (
                id {id},
                trial_id BIGINT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('Checkpoint', 'Onnx', 'Safetensors', 'PyTorch', 'ModelCard', 'Other')),
                path TEXT NOT NULL,
                size_bytes BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (trial_id, path)
            );
            """),
        new(2, "trial roles: search trials and the final training of the winner", """
            ALTER TABLE trials ADD COLUMN role TEXT NOT NULL DEFAULT 'Search' CHECK (role IN ('Search', 'Final'));
            """),
        new(3, "experiments: why a failed one failed, and the search time a resumed search has already used", """
            ALTER TABLE experiments ADD COLUMN failure_reason TEXT;
            ALTER TABLE experiments ADD COLUMN search_seconds {real} NOT NULL DEFAULT 0;
            """),
        new(4, "trials: runs started since the last release (the retry limit of a trial whose worker keeps dying)", """
            ALTER TABLE trials ADD COLUMN unended_runs BIGINT NOT NULL DEFAULT 0;
            """),
        new(5, "trial checkpoints and experiment inputs kept in the store, for workers that share no disk", """
            CREATE TABLE trial_checkpoints (
                trial_id BIGINT PRIMARY KEY REFERENCES trials (id) ON DELETE CASCADE,
                epoch BIGINT NOT NULL,
                archive {blob} NOT NULL,
                sha256 TEXT NOT NULL,
                saved_at BIGINT NOT NULL
            );
            CREATE TABLE experiment_inputs (
                experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                path TEXT NOT NULL,
                is_folder BIGINT NOT NULL,
                archive {blob} NOT NULL,
                sha256 TEXT NOT NULL,
                saved_at BIGINT NOT NULL,
                PRIMARY KEY (experiment_id, path)
            );
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
