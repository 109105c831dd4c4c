using System.Diagnostics;
using System.Globalization;
using AutoNet.Store;
using Xunit.Abstractions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// The live view as a person sees it: `autonet search` in a real terminal (a tmux pane), read back with
/// capture-pane, then Ctrl-C typed into it with send-keys; the experiment must be left stopped and resumable.
/// Skipped, with the reason, where tmux is not installed.
/// </summary>
public sealed class TerminalViewTests(FashionMnistFolder data, ITestOutputHelper output) : IClassFixture<FashionMnistFolder>, IDisposable
{
    private readonly string workspace = Directory.CreateTempSubdirectory("autonet-tmux-ws-").FullName;
    private readonly string session = $"autonet-test-{Guid.NewGuid():N}"[..24];

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    public void Dispose()
    {
        Tmux(["kill-session", "-t", session]);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(workspace, recursive: true);
    }

    [TmuxFact]
    public async Task The_live_view_renders_in_a_terminal_and_ctrl_c_leaves_a_resumable_experiment()
    {
        var exitFile = Path.Join(workspace, "exit-code");
        var command = string.Join(' ', new[]
        {
            "dotnet", Quote(CliDll), "search", "--data", Quote(data.Path_), "--space", "macro-cnn-tiny", "--scheduler", "fifo",
            "--max-trials", "2", "--experiment", "live", "--seed", "4", "--device", "cpu", "--workspace", Quote(workspace),
        }) + $"; echo $? > {Quote(exitFile)}; sleep 600";
        Assert.Equal(0, Tmux(["new-session", "-d", "-s", session, "-x", "150", "-y", "50", "bash", "-c", command]).ExitCode);

        // The live view: the running-trials table with an epoch in progress, the best-so-far line and the leaderboard.
        var screen = await WaitForScreenAsync(s => s.Contains("running", StringComparison.Ordinal) && s.Contains("best so far", StringComparison.Ordinal)
            && s.Contains("leaderboard", StringComparison.Ordinal) && s.Contains("validation", StringComparison.Ordinal));
        output.WriteLine(screen);
        Assert.DoesNotContain("trial 1: epoch", screen, StringComparison.Ordinal);

        await WaitForStoreAsync(async store => (await store.ListTrialsAsync((await store.GetExperimentAsync("live"))!.Id)).Any(t => t.EpochsDone >= 1));
        Assert.Equal(0, Tmux(["send-keys", "-t", session, "C-c"]).ExitCode);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!File.Exists(exitFile) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        output.WriteLine(Capture());
        Assert.True(File.Exists(exitFile), "the search did not exit within 3 minutes of Ctrl-C");
        Assert.Equal("130", File.ReadAllText(exitFile).Trim());
        Assert.Contains("autonet search --resume live", Capture(), StringComparison.Ordinal);

        await using (var store = await ExperimentStore.OpenAsync(Path.Join(workspace, "autonet.db")))
        {
            var experiment = (await store.GetExperimentAsync("live"))!;
            Assert.Equal(ExperimentState.Stopped, experiment.State);
            Assert.DoesNotContain(await store.ListTrialsAsync(experiment.Id), t => t.State == TrialState.Running);
        }

        var resumed = ProcessRunner.Run("dotnet", [CliDll, "search", "--resume", "live", "--device", "cpu", "--workspace", workspace, "--json"], 300);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        await using (var store = await ExperimentStore.OpenAsync(Path.Join(workspace, "autonet.db")))
        {
            var experiment = (await store.GetExperimentAsync("live"))!;
            Assert.All(await store.ListTrialsAsync(experiment.Id), t => Assert.True(t.IsFinished, $"trial {t.Number} is {t.State}"));
        }
    }

    private async Task<string> WaitForScreenAsync(Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        var screen = Capture();
        while (!condition(screen))
        {
            Assert.True(DateTime.UtcNow < deadline, "the live view did not appear within 3 minutes; the pane shows:\n" + screen);
            await Task.Delay(250);
            screen = Capture();
        }

        return screen;
    }

    private async Task WaitForStoreAsync(Func<IExperimentStore, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            if (File.Exists(Path.Join(workspace, "autonet.db")))
            {
                await using var store = await ExperimentStore.OpenAsync(Path.Join(workspace, "autonet.db"));
                if (await store.GetExperimentAsync("live") is not null && await condition(store))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "no epoch was stored within 3 minutes; the pane shows:\n" + Capture());
            await Task.Delay(250);
        }
    }

    private string Capture() => Tmux(["capture-pane", "-p", "-t", session]).Stdout;

    private static (int ExitCode, string Stdout) Tmux(string[] arguments)
    {
        // The first tmux command starts the server, whose panes would otherwise inherit a test host's ignored SIGINT.
        using var process = Process.Start(TestChildProcess.StartInfo("tmux", arguments))!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout);
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
