using AutoNet.Cli.Tests;
using AutoNet.Dashboard;

namespace AutoNet.Dashboard.Tests;

/// <summary>
/// A store filled by three real `autonet search` runs (the macro-cnn-tiny space on 30 Fashion-MNIST images per class, on
/// the CPU): "tiny-random" (random, FIFO), "tiny-evolution" (evolution, ASHA) and "tiny-proxy" (NASWOT-seeded evolution,
/// FIFO), three trials each, and a loopback
/// dashboard reading it. Built once for every test class of the collection.
/// </summary>
public sealed class SearchedStoreFixture : IAsyncLifetime
{
    public const int PerClass = 30;
    public const string Random = "tiny-random";
    public const string Evolution = "tiny-evolution";
    public const string Proxy = "tiny-proxy";

    public string Root { get; } = Directory.CreateTempSubdirectory("autonet-dashboard-").FullName;

    public string Data => Path.Join(Root, "data");

    public string Workspace => Path.Join(Root, "workspace");

    public string StorePath => Path.Join(Workspace, "autonet.db");

    public DashboardServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    public async Task InitializeAsync()
    {
        FashionMnistFolder.Write(Data, PerClass);
        Search(Random, "random", "fifo", 1);
        Search(Evolution, "evolution", "asha", 2);
        Search(Proxy, "proxy", "fifo", 4);
        Server = await DashboardServer.StartAsync(new DashboardOptions { Store = StorePath, Workspace = Workspace, Port = 0, PollInterval = TimeSpan.FromMilliseconds(500) });
        Http = new HttpClient { BaseAddress = Server.Address };
    }

    /// <summary>Runs `autonet` in a child process against this fixture's workspace.</summary>
    public (int ExitCode, string Stdout, string Stderr) Cli(int timeoutSeconds, params string[] arguments) =>
        ProcessRunner.Run("dotnet", [CliDll, .. arguments, "--workspace", Workspace], timeoutSeconds);

    public void Search(string experiment, string strategy, string scheduler, int seed, int trials = 3)
    {
        var (exitCode, stdout, stderr) = Cli(600, "search", "--data", Data, "--space", "macro-cnn-tiny", "--strategy", strategy, "--scheduler", scheduler,
            "--max-trials", trials.ToString(System.Globalization.CultureInfo.InvariantCulture), "--experiment", experiment, "--seed",
            seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--device", "cpu", "--workers", "1", "--final-training", "none", "--json");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the fixture's search {experiment} failed ({exitCode}): {stderr}\n{stdout}");
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
