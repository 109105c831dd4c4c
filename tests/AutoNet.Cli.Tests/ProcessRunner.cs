using System.Diagnostics;

namespace AutoNet.Cli.Tests;

public static class ProcessRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> arguments, int timeoutSeconds = 120,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = TestChildProcess.StartInfo(file, arguments, workingDirectory);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran past {timeoutSeconds}s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
