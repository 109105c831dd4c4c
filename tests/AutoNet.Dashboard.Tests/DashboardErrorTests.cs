using System.Net;
using System.Text.Json;
using AutoNet.Store;

namespace AutoNet.Dashboard.Tests;

/// <summary>What is not there gets a page or a JSON error that says what, never a stack trace or a changed store.</summary>
[Collection(SearchedStoreCollection.Name)]
public sealed class DashboardErrorTests(SearchedStoreFixture fixture)
{
    [Theory]
    [InlineData("/experiments/no-such-experiment", "no experiment named 'no-such-experiment'")]
    [InlineData("/experiments/tiny-random/trials/999", "has no trial 999")]
    [InlineData("/api/experiments/no-such-experiment/trials", "no experiment named 'no-such-experiment'")]
    [InlineData("/api/experiments/tiny-random/trials/999", "has no trial 999")]
    [InlineData("/nowhere", "there is no page at /nowhere")]
    public async Task Something_missing_is_a_404_that_names_it(string path, string expected)
    {
        using var response = await fixture.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var message = body.StartsWith('{') ? JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()! : WebUtility.HtmlDecode(body);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("size=0", "size=0")]
    [InlineData("size=abc", "size=abc")]
    [InlineData("page=-1", "page=-1")]
    [InlineData("state=Sleeping", "state=Sleeping")]
    [InlineData("range=validationAccuracy:1", "range=validationAccuracy:1")]
    [InlineData("range=validationAccuracy:NaN:1", "range=validationAccuracy:NaN:1")]
    [InlineData("desc=maybe", "desc=maybe")]
    [InlineData("in=nocolon", "in=nocolon")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string named)
    {
        using var response = await fixture.Http.GetAsync($"/api/experiments/{SearchedStoreFixture.Random}/trials?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(named, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_store_is_a_page_that_says_so_and_is_not_created()
    {
        var folder = Directory.CreateTempSubdirectory("autonet-dashboard-empty-").FullName;
        try
        {
            var store = Path.Join(folder, "autonet.db");
            await using var server = await DashboardServer.StartAsync(new DashboardOptions { Store = store, Workspace = folder, Port = 0 });
            using var http = new HttpClient { BaseAddress = server.Address };
            using var api = await http.GetAsync("/api/experiments");
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
            Assert.Contains("no experiment store", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var page = await http.GetAsync("/experiments/x");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.False(File.Exists(store));

            // An empty file is not made into a store either.
            await File.WriteAllBytesAsync(store, []);
            using var empty = await http.GetAsync("/api/experiments");
            Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
            Assert.Equal(0, new FileInfo(store).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_store_without_experiments_lists_none()
    {
        var folder = Directory.CreateTempSubdirectory("autonet-dashboard-none-").FullName;
        try
        {
            var store = Path.Join(folder, "autonet.db");
            await (await ExperimentStore.OpenAsync(store)).DisposeAsync();
            await using var server = await DashboardServer.StartAsync(new DashboardOptions { Store = store, Workspace = folder, Port = 0 });
            using var http = new HttpClient { BaseAddress = server.Address };
            using var json = JsonDocument.Parse(await http.GetStringAsync("/api/experiments"));
            Assert.Equal(0, json.RootElement.GetProperty("experiments").GetArrayLength());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Images_of_a_workspace_without_the_cache_are_a_404_naming_the_workspace()
    {
        var folder = Directory.CreateTempSubdirectory("autonet-dashboard-nocache-").FullName;
        try
        {
            await using var server = await DashboardServer.StartAsync(new DashboardOptions { Store = fixture.StorePath, Workspace = folder, Port = 0 });
            using var http = new HttpClient { BaseAddress = server.Address };
            using var response = await http.GetAsync($"/api/experiments/{SearchedStoreFixture.Random}/trials/1/images/0.png");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("--workspace", body, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
