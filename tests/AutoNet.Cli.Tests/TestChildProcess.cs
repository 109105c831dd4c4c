using System.Diagnostics;

namespace AutoNet.Cli.Tests;

/// <summary>
/// The one way these tests start a process: with SIGINT at its default disposition, whatever the test host's is.
/// A suite started in the background (`./test.sh &amp;`, or from a script) runs with SIGINT ignored, a child inherits an
/// ignored signal through fork and exec, and .NET's Process.Start resets only handled signals, not ignored ones; a
/// runtime started with SIGINT ignored then never installs its Ctrl-C handler, so the SIGINT a test sends does nothing.
/// The child is therefore started through perl, which sets SIGINT back to the default and execs it in place (same pid,
/// so kill -INT and Kill reach the program itself). A shell cannot do this: POSIX lets a non-interactive shell not
/// un-ignore a signal that was ignored when it started.
/// </summary>
public static class TestChildProcess
{
    /// <summary>What perl runs: SIGINT to its default, then exec the arguments after "--" as they are (a PATH search for the first).</summary>
    public const string RestoreSigintAndExec = """$SIG{INT} = "DEFAULT"; exec { $ARGV[0] } @ARGV or die "cannot run $ARGV[0]: $!\n";""";

    /// <summary>
    /// A start description for <paramref name="file"/> with <paramref name="arguments"/>, output redirected, in
    /// <paramref name="workingDirectory"/> (default: the repository root), whose process starts with the default SIGINT.
    /// </summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? file : "perl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        if (!OperatingSystem.IsWindows())
        {
            foreach (var wrapper in (string[])["-e", RestoreSigintAndExec, "--", file])
            {
                start.ArgumentList.Add(wrapper);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
