using System.Diagnostics;
using System.Text;

namespace AutoNet.Cli.Tests;

/// <summary>
/// An `autonet` process started in the background whose stdout and stderr are collected as it runs (so a full pipe
/// never blocks it), for tests that run several processes at once and must say what each printed when they fail.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    private CliProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Stdout
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    /// <summary>What the process printed so far, labelled, for a failure message.</summary>
    public string Transcript
    {
        get
        {
            string err;
            lock (stderr)
            {
                err = stderr.ToString();
            }

            return $"--- {Name} (pid {process.Id}{(process.HasExited ? $", exit {process.ExitCode}" : ", running")}) stdout:\n{Stdout}\n--- {Name} stderr:\n{err}\n";
        }
    }

    /// <summary>Starts `dotnet <paramref name="cliDll"/> arguments…` in <paramref name="workingDirectory"/> (default: the repository root).</summary>
    public static CliProcess Start(string name, string cliDll, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var cli = new CliProcess(name, Process.Start(TestChildProcess.StartInfo("dotnet", [cliDll, .. arguments], workingDirectory))!);
        cli.process.OutputDataReceived += (_, e) => Append(cli.stdout, e.Data);
        cli.process.ErrorDataReceived += (_, e) => Append(cli.stderr, e.Data);
        cli.process.BeginOutputReadLine();
        cli.process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits for the exit; false when it ran past the timeout (the process is left running).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            // The parameterless wait also drains the asynchronous output readers.
            process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>kill -9: the process dies at once, without any chance to clean up.</summary>
    public void KillHard() => process.Kill();

    /// <summary>Ctrl-C (SIGINT), as a user stops a worker.</summary>
    public void Interrupt()
    {
        using var signal = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        signal.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
