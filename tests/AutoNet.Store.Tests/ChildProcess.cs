using System.Diagnostics;

namespace AutoNet.Store.Tests;

/// <summary>
/// This test assembly run as a child process (<see cref="Program"/>), its stdout collected line by line as it comes,
/// so a test can wait for a line and then kill the child (SIGKILL) at that moment.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    /// <summary>How long a wait for a child's line may take before the test fails: a stalled child, not a slow one.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _stdout;
    private readonly Task<string> _stderr;
    private readonly SemaphoreSlim _changed = new(0);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }

                _changed.Release();
            }

            _changed.Release();
        });
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The complete lines so far: those a kill cut short are left out (every line of ours ends with " .").</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.Where(l => l.EndsWith(" .", StringComparison.Ordinal)).ToList();
            }
        }
    }

    public static ChildProcess Start(string name, params string[] arguments)
    {
        // The test host runs under the dotnet muxer; use the same one rather than whatever PATH finds.
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ChildProcess(name, Process.Start(info)!);
    }

    /// <summary>Waits until <paramref name="done"/> holds for the lines; fails naming the child if it exits or stalls first.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<string>, bool> done, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!done(Lines))
        {
            if (_stdout.IsCompleted)
            {
                await _process.WaitForExitAsync();
                Assert.Fail($"{Name} exited ({_process.ExitCode}) before {what}: {await _stderr}");
            }

            if (deadline.Elapsed > Patience)
            {
                Assert.Fail($"{Name} did not get to {what} within {Patience.TotalMinutes} minutes (stalled); last lines: " +
                    string.Join(" | ", Lines.TakeLast(5)));
            }

            await _changed.WaitAsync(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>SIGKILL: no handler, no flush, no dispose runs in the child.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        await _stdout;
    }

    /// <summary>Waits for a child that ends by itself; its stderr when it failed.</summary>
    public async Task<string> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        await _stdout;
        return await _stderr;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
        _changed.Dispose();
    }
}
