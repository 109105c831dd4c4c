// How fast the dashboard's experiment page renders, and how much it downloads, for an experiment of 1,000 and of
// 10,000 trials (issue 14: goal under one second at 1,000). Peer measured in the same run on the same store: the
// command-line leaderboard of every trial (`autonet leaderboard --state all --json`), the other way a user sees all of them.
//
//   dotnet run -c Release --project experiments/bench/DashboardRender -- [--trials 1000,10000] [--runs 3] [--screenshots DIR]
// With --screenshots, the page of each size is saved (after the timed runs) for a person to look at.
// With --look URL[,URL] --screenshots DIR, only those pages of a running `autonet dashboard` are saved (look-1.png, …),
// once their table and charts are drawn: a plain headless-chromium screenshot never settles on a page that keeps
// its server-sent-events stream open.
using System.Diagnostics;
using System.Globalization;
using AutoNet.Dashboard;
using AutoNet.Store;
using Microsoft.Playwright;

var sizes = Argument("--trials", "1000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var runs = int.Parse(Argument("--runs", "3"), CultureInfo.InvariantCulture);
var screenshots = Argument("--screenshots", "");
var look = Argument("--look", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
var cli = Path.GetFullPath(Path.Join(AppContext.BaseDirectory, "../../../../../../src/AutoNet.Cli/bin/Release/net10.0/AutoNet.Cli.dll"));
if (!File.Exists(cli))
{
    Console.Error.WriteLine($"build the CLI first (dotnet build -c Release src/AutoNet.Cli): {cli} is missing");
    return 1;
}

var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
if (chromium is null)
{
    Console.Error.WriteLine("chromium is not installed (apt-get install chromium)");
    return 1;
}

Console.WriteLine($"dashboard first render against `autonet leaderboard --json`, {Environment.ProcessorCount} cores, best of {runs} runs each");
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
if (look.Length > 0)
{
    Directory.CreateDirectory(screenshots.Length > 0 ? screenshots : ".");
    for (var i = 0; i < look.Length; i++)
    {
        var path = Path.Join(screenshots.Length > 0 ? screenshots : ".", $"look-{i + 1}.png");
        await ScreenshotAsync(browser, new Uri(look[i]), path);
        Console.WriteLine($"{look[i]} -> {path}");
    }

    return 0;
}

foreach (var size in sizes)
{
    var folder = Directory.CreateTempSubdirectory("autonet-dashboard-bench-").FullName;
    try
    {
        var store = Path.Join(folder, "autonet.db");
        var fill = Stopwatch.StartNew();
        await FillAsync(store, size);
        Console.WriteLine($"{size,6:N0} trials written in {fill.Elapsed.TotalSeconds:F0} s");
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Store = store, Workspace = folder, Port = 0 });
        var renders = new List<(double Table, double Charts, long Bytes)>();
        for (var run = 0; run < runs; run++)
        {
            renders.Add(await RenderAsync(browser, server.Address, $"bench-{size}"));
        }

        if (screenshots.Length > 0)
        {
            Directory.CreateDirectory(screenshots);
            await ScreenshotAsync(browser, new Uri(server.Address, $"/experiments/bench-{size}"), Path.Join(screenshots, $"experiment-{size}.png"));
        }

        var peer = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var process = Process.Start(new ProcessStartInfo("dotnet", [cli, "leaderboard", $"bench-{size}", "--state", "all", "--json", "--store", store])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
            }

            peer.Add(clock.Elapsed.TotalSeconds);
            _ = output.Length;
        }

        var table = renders.Min(r => r.Table);
        var charts = renders.Min(r => r.Charts);
        Console.WriteLine($"{size,6:N0} trials: leaderboard shown in {table:F2} s, every chart drawn in {charts:F2} s, " +
            $"{renders[^1].Bytes / 1024.0:N0} KiB of data; autonet leaderboard --json {peer.Min():F2} s; ratio table/CLI {table / peer.Min():F2}, charts/CLI {charts / peer.Min():F2}");
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

return 0;

static async Task<(double Table, double Charts, long Bytes)> RenderAsync(IBrowser browser, Uri address, string experiment)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
    var page = await context.NewPageAsync();
    // Every API answer's body is measured, and the reads are awaited before the run ends, so none is lost to a race.
    var bodies = new System.Collections.Concurrent.ConcurrentBag<Task<long>>();
    page.Response += (_, response) =>
    {
        if (response.Url.Contains("/api/", StringComparison.Ordinal) && !response.Url.EndsWith("/events", StringComparison.Ordinal))
        {
            bodies.Add(BodyLength(response));
        }
    };
    var clock = Stopwatch.StartNew();
    // Timed from the moment the browser has the page's address committed, not from its load event (which waits for
    // the chart library whether or not the table is already shown).
    await page.GotoAsync($"/experiments/{experiment}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
    await page.Locator("#trial-table tbody tr").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
    var table = clock.Elapsed.TotalSeconds;
    await page.WaitForFunctionAsync("() => ['curves', 'parallel', 'by-parameters', 'by-flops', 'by-latency'].every(id => { const c = echarts.getInstanceByDom(document.getElementById(id)); return c && c.getOption().series.length > 0; })",
        null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 20 });
    var charts = clock.Elapsed.TotalSeconds;
    await page.WaitForTimeoutAsync(300);
    var bytes = (await Task.WhenAll(bodies)).Sum();
    return (table, charts, bytes);
}

static async Task ScreenshotAsync(IBrowser browser, Uri experimentPage, string path)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
    var page = await context.NewPageAsync();
    await page.GotoAsync(experimentPage.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
    await page.Locator("#trial-table tbody tr").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
    await page.WaitForTimeoutAsync(2000);
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
}

static async Task<long> BodyLength(IResponse response)
{
    try
    {
        return (await response.BodyAsync()).Length;
    }
    catch (PlaywrightException)
    {
        // A body the page no longer needs (navigation): not counted.
        return 0;
    }
}

static async Task FillAsync(string path, int trials)
{
    await using var store = await ExperimentStore.OpenAsync(path);
    var experiment = await store.CreateExperimentAsync(new NewExperiment($"bench-{trials}", "fashion-mnist", "{}", "macro-cnn", "{}", "random", "fifo", "{}", 1));
    var random = new Random(1);
    string[] optimizers = ["sgd", "adamw"];
    for (var i = 1; i <= trials; i++)
    {
        var sample = string.Create(CultureInfo.InvariantCulture,
            $$"""{"arch/stages":{{random.Next(2, 5)}},"arch/stage1_width":{{16 * random.Next(1, 5)}},"arch/stage1_kernel":{{(random.Next(2) * 2) + 3}},"arch/residual":{{(random.Next(2) == 0 ? "true" : "false")}},"hp/learning_rate":{{Math.Pow(10, -4 + (3 * random.NextDouble()))}},"hp/batch_size":{{32 << random.Next(3)}},"hp/optimizer":"{{optimizers[random.Next(2)]}}","hp/weight_decay":{{Math.Pow(10, -6 + (3 * random.NextDouble()))}}}""");
        var added = await store.AddTrialAsync(experiment.Id, new NewTrial("""{"arch":"bench"}""", $"g{i}", sample, random.Next(10_000, 2_000_000), random.Next(1_000_000, 200_000_000)));
        var claimed = (await store.ClaimTrialAsync(added.Id, "bench", "cpu", TimeSpan.FromHours(1)))!;
        var accuracy = 0.5 + (0.4 * random.NextDouble());
        var epochs = random.Next(1, 4);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            await store.ReportEpochAsync(claimed.Id, "bench", new EpochMetrics(epoch, 1.0 / epoch, 0.9 / epoch, accuracy * (0.8 + (0.2 * epoch / epochs)), 0.95, 0.01, 2.0));
        }

        await store.FinishTrialAsync(claimed.Id, "bench", epochs == 3 ? TrialFinish.Completed(accuracy - 0.01) : TrialFinish.Pruned("rung"));
    }
}

static string Argument(string name, string fallback)
{
    var args = Environment.GetCommandLineArgs();
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
