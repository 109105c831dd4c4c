using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace AutoNet.Dashboard.Tests;

/// <summary>The API shows the numbers the command line prints for the same store, and reading it changes nothing.</summary>
[Collection(SearchedStoreCollection.Name)]
public sealed class DashboardApiTests(SearchedStoreFixture fixture)
{
    [Fact]
    public async Task The_experiments_list_has_both_searches_with_their_counts_and_bests()
    {
        using var json = await GetJson("/api/experiments");
        var experiments = json.RootElement.GetProperty("experiments").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        // The live-update test adds a third experiment to the shared store; these two are the fixture's.
        Assert.Contains(SearchedStoreFixture.Random, experiments.Keys);
        Assert.Contains(SearchedStoreFixture.Evolution, experiments.Keys);
        var (_, cli, _) = fixture.Cli(120, "experiments", "--json");
        using var expected = JsonDocument.Parse(cli);
        foreach (var row in expected.RootElement.GetProperty("experiments").EnumerateArray()
            .Where(r => r.GetProperty("name").GetString() is SearchedStoreFixture.Random or SearchedStoreFixture.Evolution))
        {
            var shown = experiments[row.GetProperty("name").GetString()!];
            Assert.Equal(row.GetProperty("trials").GetInt64(), shown.GetProperty("totalTrials").GetInt64());
            Assert.Equal(row.GetProperty("completed").GetInt64(), shown.GetProperty("trials").GetProperty("completed").GetInt64());
            Assert.Equal(row.GetProperty("pruned").GetInt64(), shown.GetProperty("trials").GetProperty("pruned").GetInt64());
            Assert.Equal(row.GetProperty("bestValidationAccuracy").GetDouble(), shown.GetProperty("bestValidationAccuracy").GetDouble());
            Assert.Equal(row.GetProperty("bestTestAccuracy").GetDouble(), shown.GetProperty("bestTestAccuracy").GetDouble());
            Assert.Equal("Completed", shown.GetProperty("state").GetString());
            Assert.Equal(1.0, shown.GetProperty("progress").GetDouble());
        }
    }

    [Theory]
    [InlineData(SearchedStoreFixture.Random)]
    [InlineData(SearchedStoreFixture.Evolution)]
    public async Task The_leaderboard_page_equals_autonet_leaderboard_json(string experiment)
    {
        var (exit, cli, error) = fixture.Cli(120, "leaderboard", experiment, "--state", "all", "--json");
        Assert.True(exit == 0, error);
        using var expected = JsonDocument.Parse(cli);
        using var page = await GetJson($"/api/experiments/{experiment}/trials?sort=validationAccuracy&desc=true&size=1000");
        var rows = page.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("number").GetInt64());
        var trials = expected.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(trials.Count, rows.Count);
        Assert.Equal(trials.Count, page.RootElement.GetProperty("total").GetInt32());
        foreach (var trial in trials)
        {
            var row = rows[trial.GetProperty("trial").GetInt64()];
            foreach (var (cliName, apiName) in new[] { ("validationAccuracy", "validationAccuracy"), ("testAccuracy", "testAccuracy"), ("parameters", "parameters"), ("flops", "flops"), ("epochs", "epochs") })
            {
                Assert.Equal(trial.GetProperty(cliName).ToString(), row.GetProperty(apiName).ToString());
            }

            Assert.Equal(trial.GetProperty("state").GetString(), row.GetProperty("state").GetString(), ignoreCase: true);
        }

        // The completed trials come first in the CLI's order (best validation first, ties by number).
        var completed = trials.Where(t => t.GetProperty("state").GetString()!.Equals("completed", StringComparison.OrdinalIgnoreCase)).Select(t => t.GetProperty("trial").GetInt64()).ToList();
        var shown = page.RootElement.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("state").GetString() == "Completed").Select(r => r.GetProperty("number").GetInt64()).ToList();
        Assert.Equal(completed, shown);
    }

    [Fact]
    public async Task A_trial_shows_what_autonet_show_json_prints_and_its_test_evaluation()
    {
        var (exit, cli, error) = fixture.Cli(120, "show", "best", "--experiment", SearchedStoreFixture.Random, "--json");
        Assert.True(exit == 0, error);
        using var expected = JsonDocument.Parse(cli);
        var number = expected.RootElement.GetProperty("number").GetInt64();
        using var trial = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}");
        var row = trial.RootElement.GetProperty("trial");
        Assert.Equal(expected.RootElement.GetProperty("bestValidationAccuracy").GetDouble(), row.GetProperty("validationAccuracy").GetDouble());
        Assert.Equal(expected.RootElement.GetProperty("testAccuracy").GetDouble(), row.GetProperty("testAccuracy").GetDouble());
        var test = trial.RootElement.GetProperty("test");
        var matrix = test.GetProperty("ConfusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(10, matrix.Length);
        Assert.Equal(test.GetProperty("Count").GetInt32(), matrix.Sum(r => r.Sum()));
        var correct = Enumerable.Range(0, 10).Sum(i => matrix[i][i]);
        Assert.Equal(test.GetProperty("Accuracy").GetDouble(), correct / (double)test.GetProperty("Count").GetInt32(), 9);
        Assert.Contains("autonet export", trial.RootElement.GetProperty("commands").GetProperty("export").GetString(), StringComparison.Ordinal);
        Assert.Equal(expected.RootElement.GetProperty("epochs").GetArrayLength(), trial.RootElement.GetProperty("epochs").GetArrayLength());
    }

    [Fact]
    public async Task A_confident_mistake_is_served_as_the_png_the_network_saw()
    {
        var (number, index) = await FirstMistake();
        using var response = await fixture.Http.GetAsync($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}/images/{index}.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // The IHDR chunk says 28 x 28: the cache's resolution for this space.
        Assert.Equal(28, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
    }

    [Fact]
    public async Task The_saliency_of_a_mistake_is_an_overlay_of_the_same_size_and_differs_from_the_image()
    {
        var (number, index) = await FirstMistake();
        var image = await fixture.Http.GetByteArrayAsync($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}/images/{index}.png");
        using var response = await fixture.Http.GetAsync($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}/saliency/{index}.png");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(image[16..24], body[16..24]);
        // Colour type 2 (RGB): the red overlay on the grey image, not the image again.
        Assert.Equal(2, body[25]);
        Assert.NotEqual(image, body);

        // Asked again (the network is kept), the same map: it is computed, not random.
        Assert.Equal(body, await fixture.Http.GetByteArrayAsync($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}/saliency/{index}.png"));
    }

    [Fact]
    public async Task Every_cell_of_the_confusion_matrix_lists_as_many_images_as_it_counts()
    {
        var (number, _) = await FirstMistake();
        using var trial = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}");
        var matrix = trial.RootElement.GetProperty("test").GetProperty("ConfusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        var indices = new HashSet<int>();
        for (var t = 0; t < matrix.Length; t++)
        {
            for (var p = 0; p < matrix.Length; p++)
            {
                using var cell = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}/cell?true={t}&predicted={p}");
                Assert.Equal(matrix[t][p], cell.RootElement.GetProperty("count").GetInt32());
                var images = cell.RootElement.GetProperty("images").EnumerateArray().ToList();
                Assert.Equal(Math.Min(matrix[t][p], 60), images.Count);
                var confidences = images.Select(i => i.GetProperty("confidence").GetDouble()).ToList();
                Assert.Equal(confidences.OrderDescending(), confidences);
                Assert.All(images, i => Assert.True(indices.Add(i.GetProperty("index").GetInt32())));
            }
        }

        // The stored confident mistakes are the surest of these.
        var surest = trial.RootElement.GetProperty("test").GetProperty("ConfidentMistakes")[0];
        using var itsCell = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}/cell?true={surest.GetProperty("TrueLabel").GetInt32()}&predicted={surest.GetProperty("PredictedLabel").GetInt32()}");
        Assert.Equal(surest.GetProperty("Index").GetInt32(), itsCell.RootElement.GetProperty("images")[0].GetProperty("index").GetInt32());
        using var bad = await fixture.Http.GetAsync($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}/cell?true=99&predicted=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_proxy_search_shows_its_scores_and_which_became_trials()
    {
        using var proxy = await GetJson($"/api/experiments/{SearchedStoreFixture.Proxy}/strategy");
        Assert.True(proxy.RootElement.GetProperty("available").GetBoolean());
        Assert.Equal("naswot", proxy.RootElement.GetProperty("proxy").GetString());
        var points = proxy.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.NotEmpty(points);
        var scores = points.Select(p => p.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        var trained = points.Where(p => p.GetProperty("trial").ValueKind == JsonValueKind.Number).ToList();
        Assert.NotEmpty(trained);
        using var page = await GetJson($"/api/experiments/{SearchedStoreFixture.Proxy}/trials?size=1000&state=Completed,Pruned,Failed");
        var rows = page.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("number").GetInt64());
        foreach (var point in trained)
        {
            var row = rows[point.GetProperty("trial").GetInt64()];
            Assert.Equal(row.GetProperty("validationAccuracy").ToString(), point.GetProperty("validationAccuracy").ToString());
        }

        using var random = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/strategy");
        Assert.False(random.RootElement.GetProperty("available").GetBoolean());
        Assert.Contains("scores nothing before training", random.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completed_trials_carry_the_latency_their_evaluation_measured()
    {
        using var page = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials?size=1000&state=Completed");
        var rows = page.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            using var trial = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials/{row.GetProperty("number").GetInt64()}");
            var latency = trial.RootElement.GetProperty("test").GetProperty("Latency");
            Assert.True(latency.GetProperty("MillisecondsPerImageAtBatch1").GetDouble() > 0);
            Assert.Equal(latency.GetProperty("MillisecondsPerImageAtBatch1").GetDouble(), row.GetProperty("latencyMs").GetDouble());
        }

        using var points = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/points?state=Completed");
        var at = points.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList().IndexOf("latencyMs");
        Assert.All(points.RootElement.GetProperty("rows").EnumerateArray(), r => Assert.True(r[at].GetDouble() > 0));
    }

    [Fact]
    public async Task Sorting_filtering_and_paging_happen_on_the_server()
    {
        var name = SearchedStoreFixture.Evolution;
        using var all = await GetJson($"/api/experiments/{name}/trials?sort=number&desc=false&size=1000");
        var numbers = all.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("number").GetInt64()).ToList();
        Assert.Equal(numbers.Order(), numbers);
        using var page = await GetJson($"/api/experiments/{name}/trials?sort=number&desc=true&size=1&page=2");
        Assert.Equal(numbers[^2], Assert.Single(page.RootElement.GetProperty("rows").EnumerateArray()).GetProperty("number").GetInt64());
        Assert.Equal(numbers.Count, page.RootElement.GetProperty("matched").GetInt32());

        var best = all.RootElement.GetProperty("rows").EnumerateArray().Max(r => r.GetProperty("validationAccuracy").GetDouble());
        using var top = await GetJson($"/api/experiments/{name}/trials?range=validationAccuracy:{best.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}:1");
        Assert.All(top.RootElement.GetProperty("rows").EnumerateArray(), r => Assert.Equal(best, r.GetProperty("validationAccuracy").GetDouble()));
        using var points = await GetJson($"/api/experiments/{name}/points?range=validationAccuracy:{best.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}:1");
        Assert.Equal(top.RootElement.GetProperty("matched").GetInt32(), points.RootElement.GetProperty("rows").GetArrayLength());

        using var csv = await fixture.Http.GetAsync($"/api/experiments/{name}/trials.csv?sort=number&desc=false");
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("number,state,role,validationAccuracy", lines[0], StringComparison.Ordinal);
        Assert.Equal(numbers.Count + 1, lines.Length);
    }

    [Fact]
    public async Task The_comparison_has_the_numbers_of_autonet_compare()
    {
        var (exit, cli, error) = fixture.Cli(120, "compare", SearchedStoreFixture.Random, SearchedStoreFixture.Evolution, "--json");
        Assert.True(exit == 0, error);
        using var expected = JsonDocument.Parse(cli);
        using var shown = await GetJson($"/api/compare?name={SearchedStoreFixture.Random}&name={SearchedStoreFixture.Evolution}");
        Assert.Equal(expected.RootElement.GetProperty("target").GetDouble(), shown.RootElement.GetProperty("target").GetDouble());
        var columns = shown.RootElement.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("summary")).ToList();
        var cliColumns = expected.RootElement.GetProperty("experiments").EnumerateArray().ToList();
        Assert.Equal(2, columns.Count);
        for (var i = 0; i < 2; i++)
        {
            foreach (var field in new[] { "name", "trials", "completed", "pruned", "bestValidationAccuracy", "medianValidationAccuracy", "bestTestAccuracy", "epochs", "targetReached", "trialsToTarget" })
            {
                Assert.Equal(cliColumns[i].GetProperty(field).ToString(), columns[i].GetProperty(field).ToString());
            }
        }
    }

    [Fact]
    public async Task Reading_every_page_leaves_the_store_file_unchanged()
    {
        var before = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(fixture.StorePath)));
        foreach (var path in new[] { "/", "/api/experiments", $"/api/experiments/{SearchedStoreFixture.Random}/trials", $"/api/experiments/{SearchedStoreFixture.Random}/curves",
            $"/api/experiments/{SearchedStoreFixture.Evolution}/points", $"/api/experiments/{SearchedStoreFixture.Random}/trials/1", $"/api/compare?name={SearchedStoreFixture.Random}&name={SearchedStoreFixture.Evolution}" })
        {
            using var response = await fixture.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(before, Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(fixture.StorePath))));
    }

    private async Task<(long Number, int Index)> FirstMistake()
    {
        using var page = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials?state=Completed");
        foreach (var row in page.RootElement.GetProperty("rows").EnumerateArray())
        {
            var number = row.GetProperty("number").GetInt64();
            using var trial = await GetJson($"/api/experiments/{SearchedStoreFixture.Random}/trials/{number}");
            var mistakes = trial.RootElement.GetProperty("test").GetProperty("ConfidentMistakes");
            if (mistakes.GetArrayLength() > 0)
            {
                return (number, mistakes[0].GetProperty("Index").GetInt32());
            }
        }

        throw new InvalidOperationException("no completed trial made a mistake on the test split");
    }

    private async Task<JsonDocument> GetJson(string path)
    {
        using var response = await fixture.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}
