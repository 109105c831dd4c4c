using System.Net;
using AutoNet.Cli.Tests;
using AutoNet.Scheduling.Jobs;
using AutoNet.Store;
using Npgsql;

namespace AutoNet.Dashboard.Tests;

/// <summary>Hangfire's jobs page under /jobs: read-only for a PostgreSQL store, an explanation for an embedded one.</summary>
[Collection(SearchedStoreCollection.Name)]
public sealed class JobsPageTests(SearchedStoreFixture fixture)
{
    [Fact]
    public async Task An_embedded_store_explains_where_its_jobs_are()
    {
        using var response = await fixture.Http.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("memory of the one process", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var post = await fixture.Http.PostAsync("/jobs/stats", new StringContent(""));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [PostgresFact]
    public async Task A_postgres_store_serves_hangfires_page_and_refuses_every_change()
    {
        var server = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)!;
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var location = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        await (await ExperimentStore.OpenAsync(location)).DisposeAsync();
        // A search's process creates Hangfire's tables; the dashboard only reads them.
        _ = TrialJobStorage.Postgres(server);

        await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions { Store = location, Workspace = fixture.Workspace, Port = 0 });
        using var http = new HttpClient { BaseAddress = dashboard.Address };
        using var page = await http.GetAsync("/jobs");
        var body = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("AutoNet trial jobs", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
        using var enqueued = await http.GetAsync("/jobs/jobs/enqueued");
        Assert.Equal(HttpStatusCode.OK, enqueued.StatusCode);
        using var stats = await http.PostAsync("/jobs/stats", new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]));
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        foreach (var change in new[] { "/jobs/jobs/enqueued/delete", "/jobs/jobs/failed/requeue", "/jobs/recurring/trigger" })
        {
            using var refused = await http.PostAsync(change, new FormUrlEncodedContent([new("jobs[]", "1")]));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        }

    }
}
