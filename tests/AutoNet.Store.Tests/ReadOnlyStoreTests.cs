using System.Security.Cryptography;

namespace AutoNet.Store.Tests;

/// <summary>
/// A store opened with <see cref="StoreOptions.ReadOnly"/> (the dashboard's) reads what a search wrote, never changes
/// the file, refuses writes at the engine, and says so when there is nothing to read or the schema would need migrating.
/// </summary>
public sealed class ReadOnlyStoreTests
{
    private static readonly StoreOptions ReadOnly = new() { ReadOnly = true };

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_read_only_store_reads_everything_and_refuses_a_write(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        long trialId;
        await using (var writer = await place.OpenAsync())
        {
            var experiment = await writer.CreateExperimentAsync(Samples.Experiment());
            trialId = (await writer.AddTrialAsync(experiment.Id, Samples.Trial(1))).Id;
        }

        var before = engine == StoreEngine.Postgres ? null : Digest(place.FilePath);
        await using (var reader = await ExperimentStore.OpenAsync(place.Location, ReadOnly))
        {
            var experiment = Assert.Single(await reader.ListExperimentsAsync());
            Assert.Equal("fmnist-random", experiment.Experiment.Name);
            Assert.Equal(Samples.Trial(1).GenotypeJson, (await reader.GetTrialAsync(trialId))!.GenotypeJson);
            await Assert.ThrowsAnyAsync<Exception>(() => reader.CreateExperimentAsync(Samples.Experiment("another")));
        }

        if (before is not null)
        {
            Assert.Equal(before, Digest(place.FilePath));
        }

        await using var again = await place.OpenAsync();
        Assert.Single(await again.ListExperimentsAsync());
    }

    [Theory, SqliteData, LiteDbData]
    public async Task A_missing_store_is_an_error_naming_it_and_nothing_is_created(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        var error = await Assert.ThrowsAsync<StoreFormatException>(() => ExperimentStore.OpenAsync(place.Location, ReadOnly));
        Assert.Contains(place.FilePath, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(place.FilePath));
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_empty_database_is_not_given_a_schema(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        if (engine == StoreEngine.Sqlite)
        {
            await File.WriteAllBytesAsync(place.FilePath, []);
        }

        var error = await Assert.ThrowsAsync<StoreFormatException>(() => ExperimentStore.OpenAsync(place.Location, ReadOnly));
        Assert.Contains("store", error.Message, StringComparison.Ordinal);
        if (engine == StoreEngine.Sqlite)
        {
            Assert.Equal(0, new FileInfo(place.FilePath).Length);
        }
    }

    private static string Digest(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
