namespace AutoNet.Store.Tests;

/// <summary>
/// Stores written while trials ran on Quartz.NET kept its job tables beside AutoNet's. Opening one with this version
/// removes AutoNet's scheduler rows from them, and the tables once nothing else is left in them (on a shared
/// PostgreSQL schema another application's Quartz may use the same tables).
/// </summary>
public sealed class LegacyJobTablesTests
{
    [Theory, SqliteData, PostgresData]
    public async Task An_earlier_stores_quartz_tables_are_removed_and_its_trials_kept(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using (var store = await place.OpenAsync())
        {
            var experiment = await store.CreateExperimentAsync(Samples.Experiment());
            await store.AddTrialAsync(experiment.Id, Samples.Trial(1));
        }

        await place.ExecuteAsync("CREATE TABLE qrtz_job_details (sched_name VARCHAR(120) NOT NULL, job_name VARCHAR(200) NOT NULL)");
        await place.ExecuteAsync("CREATE TABLE qrtz_locks (sched_name VARCHAR(120) NOT NULL, lock_name VARCHAR(40) NOT NULL)");
        await place.ExecuteAsync("INSERT INTO qrtz_job_details VALUES ('autonet', 'e1-t1')");
        await place.ExecuteAsync("INSERT INTO qrtz_locks VALUES ('autonet', 'TRIGGER_ACCESS')");

        await using (var store = await place.OpenAsync())
        {
            Assert.Single(await store.ListTrialsAsync((await store.ListExperimentsAsync())[0].Experiment.Id));
        }

        Assert.Equal(0, await place.ScalarAsync(TableCount(engine, "qrtz_job_details")));
        Assert.Equal(0, await place.ScalarAsync(TableCount(engine, "qrtz_locks")));
    }

    [Theory, PostgresData]
    public async Task Quartz_tables_another_scheduler_still_uses_are_left_with_only_its_rows(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using (await place.OpenAsync())
        {
        }

        await place.ExecuteAsync("CREATE TABLE qrtz_job_details (sched_name VARCHAR(120) NOT NULL, job_name VARCHAR(200) NOT NULL)");
        await place.ExecuteAsync("INSERT INTO qrtz_job_details VALUES ('autonet', 'e1-t1'), ('billing', 'nightly')");

        await using (await place.OpenAsync())
        {
        }

        Assert.Equal(1, await place.ScalarAsync(TableCount(engine, "qrtz_job_details")));
        Assert.Equal(1, await place.ScalarAsync("SELECT COUNT(*) FROM qrtz_job_details WHERE sched_name = 'billing'"));
    }

    private static string TableCount(StoreEngine engine, string table) => engine == StoreEngine.Sqlite
        ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
        : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{table}'";
}
