using System.Globalization;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AutoNet.Dashboard.Tests;

/// <summary>
/// The pages in a real browser on the searched store: no console errors, the numbers the command line prints, live
/// updates while a search runs, real images in the mistakes gallery, no serious accessibility violation. Each page's
/// screenshot is written to artifacts/dashboard-screenshots.
/// </summary>
[Collection(SearchedStoreCollection.Name)]
public sealed class DashboardBrowserTests(SearchedStoreFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("experiments", "/", "#experiment-table")]
    [InlineData("experiment-random", "/experiments/tiny-random", "#trial-table")]
    [InlineData("experiment-evolution", "/experiments/tiny-evolution", "#trial-table")]
    [InlineData("experiment-proxy", "/experiments/tiny-proxy", "#trial-table")]
    [InlineData("trial", "/experiments/tiny-random/trials/best", "#per-class table")]
    [InlineData("compare", "/compare?name=tiny-random&name=tiny-evolution", "#comparison")]
    public async Task A_page_loads_without_console_errors_and_without_serious_accessibility_violations(string shot, string path, string ready)
    {
        if (path.EndsWith("/best", StringComparison.Ordinal))
        {
            path = path[..^4] + BestTrial(SearchedStoreFixture.Random).ToString(CultureInfo.InvariantCulture);
        }

        var (page, errors) = await OpenAsync(path);
        await using var _ = page.Context;
        await page.Locator(ready).First.WaitForAsync();
        // Every chart the page shows is drawn (a strategy without scores hides its chart).
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.chart')].filter(c => !c.hidden).every(c => window.echarts && echarts.getInstanceByDom(c))");
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Join(BrowserFixture.ScreenshotFolder, shot + ".png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
    }

    [Fact]
    public async Task The_leaderboard_shows_the_numbers_autonet_leaderboard_prints()
    {
        var (_, cli, _) = fixture.Cli(120, "leaderboard", SearchedStoreFixture.Evolution, "--state", "all", "--json");
        using var expected = JsonDocument.Parse(cli);
        var (page, errors) = await OpenAsync("/experiments/tiny-evolution");
        await using var _ = page.Context;
        await page.Locator("#trial-table").WaitForAsync();
        var headers = await page.Locator("#trial-table thead th").AllInnerTextsAsync();
        var validation = headers.ToList().FindIndex(h => h.StartsWith("Validation", StringComparison.Ordinal));
        var test = headers.ToList().FindIndex(h => h.StartsWith("Test", StringComparison.Ordinal));
        foreach (var trial in expected.RootElement.GetProperty("trials").EnumerateArray())
        {
            var cells = await page.Locator($"#trial-table tr[data-trial='{trial.GetProperty("trial").GetInt64()}'] td").AllInnerTextsAsync();
            Assert.Equal(Percent(trial.GetProperty("validationAccuracy")), cells[validation]);
            Assert.Equal(Percent(trial.GetProperty("testAccuracy")), cells[test]);
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_comparison_shows_both_experiments()
    {
        var (page, errors) = await OpenAsync("/compare?name=tiny-random&name=tiny-evolution");
        await using var _ = page.Context;
        await page.Locator("#comparison").WaitForAsync();
        var columns = await page.Locator("#comparison thead th").AllInnerTextsAsync();
        Assert.Equal(["", SearchedStoreFixture.Random, SearchedStoreFixture.Evolution], columns);
        await page.WaitForFunctionAsync("() => window.echarts && echarts.getInstanceByDom(document.getElementById('by-trials'))");
        Assert.Equal(2, await page.EvaluateAsync<int>("() => echarts.getInstanceByDom(document.getElementById('by-trials')).getOption().series.length"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_mistakes_gallery_shows_real_images()
    {
        var (page, errors) = await OpenAsync($"/experiments/tiny-random/trials/{BestTrial(SearchedStoreFixture.Random)}");
        await using var _ = page.Context;
        var images = page.Locator("#mistakes img");
        await images.First.WaitForAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#mistakes img')].every(i => i.complete)");
        var widths = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('#mistakes img')].map(i => i.naturalWidth)");
        Assert.NotEmpty(widths);
        Assert.All(widths, w => Assert.Equal(28, w));

        // Where the network looked: every image becomes its saliency overlay.
        await page.Locator("#saliency").CheckAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#mistakes img')].every(i => i.src.includes('/saliency/') && i.complete && i.naturalWidth === 28)",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await page.Locator("#mistakes").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Join(BrowserFixture.ScreenshotFolder, "saliency.png") });

        // A cell of the confusion matrix shows its own images: the first true class, taken for the last class.
        await page.Locator("#saliency").UncheckAsync();
        var target = await page.EvaluateAsync<double[]>("() => { const c = echarts.getInstanceByDom(document.getElementById('confusion')); const n = c.getOption().xAxis[0].data.length; return c.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [n - 1, 0]); }");
        await page.Locator("#confusion canvas").First.ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)target[0], Y = (float)target[1] }, Force = true });
        // The heading changes at the click, the note when the cell's images have come: wait for the note.
        await page.WaitForFunctionAsync("() => document.getElementById('mistakes-heading').textContent.includes('predicted as') && !document.getElementById('mistakes-note').textContent.startsWith('The ')");
        Assert.Contains("test images are", await page.Locator("#mistakes-note").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_live_page_gains_trials_while_a_search_runs_beside_it()
    {
        const string name = "live-search";
        var search = Task.Run(() => fixture.Search(name, "random", "fifo", 3, trials: 6));
        // Open the page as soon as the search has created its experiment.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!(await fixture.Http.GetAsync($"/api/experiments/{name}")).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the search never created its experiment");
            Assert.False(search.IsCompleted && search.IsFaulted, search.Exception?.ToString());
            await Task.Delay(100);
        }

        var (page, errors) = await OpenAsync($"/experiments/{name}");
        await using var _ = page.Context;
        await page.Locator("#trial-table").WaitForAsync();
        var first = await TrialsShown(page);
        await page.WaitForFunctionAsync($"() => /of (\\d+) trials/.test(document.getElementById('page').textContent) && Number(document.getElementById('page').textContent.match(/of (\\d+) trials/)[1]) > {first}",
            null, new PageWaitForFunctionOptions { Timeout = 180_000 });
        Assert.True(await TrialsShown(page) > first);
        await search;
        await page.WaitForFunctionAsync("() => document.getElementById('fact-state').textContent.includes('Completed')", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        Assert.Equal(6, await TrialsShown(page));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Hostile_names_and_values_are_shown_as_text_and_never_run()
    {
        const string name = "<img src=x onerror=\"window.__xss='name'\">";
        const string value = "<script>window.__xss='value'</script>";
        var folder = Directory.CreateTempSubdirectory("autonet-dashboard-xss-").FullName;
        try
        {
            var storePath = Path.Join(folder, "autonet.db");
            await using (var store = await AutoNet.Store.ExperimentStore.OpenAsync(storePath))
            {
                var experiment = await store.CreateExperimentAsync(new AutoNet.Store.NewExperiment(name, "fashion-mnist", "{}", "macro-cnn", "{}", "random", "fifo", "{}", 1));
                var trial = await store.AddTrialAsync(experiment.Id, new AutoNet.Store.NewTrial("""{"arch/x":1}""", "g", $$"""{"hp/note":{{JsonSerializer.Serialize(value)}}}"""));
                var claimed = (await store.ClaimTrialAsync(trial.Id, "w", "cpu", TimeSpan.FromHours(1)))!;
                await store.ReportEpochAsync(claimed.Id, "w", new AutoNet.Store.EpochMetrics(1, 1.0, 1.0, 0.5, 0.9, 0.01, 1.0));
                await store.FinishTrialAsync(claimed.Id, "w", AutoNet.Store.TrialFinish.Failed("<b onmouseover=\"window.__xss='reason'\">boom</b>"));
            }

            await using var server = await DashboardServer.StartAsync(new DashboardOptions { Store = storePath, Workspace = folder, Port = 0 });
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.Address.ToString() });
            await using var _ = context;
            var page = await context.NewPageAsync();
            var dialogs = 0;
            page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
            await page.GotoAsync("/");
            await page.Locator("#experiment-table").WaitForAsync();
            Assert.Equal(name, await page.Locator("#experiment-table tbody a").First.InnerTextAsync());
            await page.GotoAsync("/experiments/" + Uri.EscapeDataString(name));
            await page.Locator("#trial-table tbody tr").First.WaitForAsync();
            Assert.Equal(name, await page.Locator("#title").InnerTextAsync());
            Assert.Contains(value, await page.Locator("#trial-table").InnerTextAsync(), StringComparison.Ordinal);
            await page.Locator("#trial-table td.state-Failed").HoverAsync();
            await page.GotoAsync("/experiments/" + Uri.EscapeDataString(name) + "/trials/1");
            await page.Locator("#failure").WaitForAsync();
            Assert.Contains("<b onmouseover", await page.Locator("#failure").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Null(await page.EvaluateAsync<string?>("() => window.__xss ?? null"));
            Assert.Equal(0, dialogs);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> TrialsShown(IPage page)
    {
        var text = await page.Locator("#page").InnerTextAsync();
        var match = System.Text.RegularExpressions.Regex.Match(text, @"of (\d+) trials");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private long BestTrial(string experiment)
    {
        var (_, cli, _) = fixture.Cli(120, "show", "best", "--experiment", experiment, "--json");
        using var json = JsonDocument.Parse(cli);
        return json.RootElement.GetProperty("number").GetInt64();
    }

    private static string Percent(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? "–" : (100 * value.GetDouble()).ToString("F2", CultureInfo.InvariantCulture) + " %";

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string path)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Server.Address.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        await page.GotoAsync(path);
        return (page, errors);
    }
}
