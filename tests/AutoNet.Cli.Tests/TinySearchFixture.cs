namespace AutoNet.Cli.Tests;

/// <summary>
/// A finished two-trial search, run once per test class with the real `autonet search`: 40 Fashion-MNIST training
/// images per class as 28 x 28 grey PNGs, the macro-cnn-tiny space, FIFO, seed 1, on the CPU, into a fresh workspace.
/// </summary>
public sealed class TinySearchFixture : IDisposable
{
    public const int PerClass = 40;
    public const string Experiment = "tiny";

    public TinySearchFixture()
    {
        Root = Directory.CreateTempSubdirectory("autonet-export-").FullName;
        Data = Path.Join(Root, "data");
        Workspace = Path.Join(Root, "workspace");
        FashionMnistFolder.Write(Data, PerClass);
        var (exitCode, stdout, stderr) = Cli(600, "search", "--data", Data, "--space", "macro-cnn-tiny", "--strategy", "random", "--scheduler", "fifo",
            "--max-trials", "2", "--experiment", Experiment, "--seed", "1", "--device", "cpu", "--workers", "1", "--json");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the fixture's search failed ({exitCode}): {stderr}\n{stdout}");
        }
    }

    public string Root { get; }

    public string Data { get; }

    public string Workspace { get; }

    public string StorePath => Path.Join(Workspace, "autonet.db");

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    /// <summary>Runs `autonet` in a process, in this fixture's workspace unless the arguments name one.</summary>
    public (int ExitCode, string Stdout, string Stderr) Cli(int timeoutSeconds, params string[] arguments)
    {
        var withWorkspace = arguments.Contains("--workspace") || arguments.Contains("--store") ? arguments : [.. arguments, "--workspace", Workspace];
        return ProcessRunner.Run("dotnet", [CliDll, .. withWorkspace], timeoutSeconds);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
