using System.Globalization;

namespace AutoNet.Cli.Tests;

/// <summary>
/// The Ctrl-C tests send SIGINT to the processes they start; a suite run in the background has SIGINT ignored, and a
/// child inherits that. Here the parent ignores SIGINT on purpose (as a background job's shell does) and the child
/// reports its own ignored-signal mask (SigIgn in /proc/self/status, bit 1 for signal 2).
/// </summary>
public sealed class TestChildProcessTests
{
    private const long SigintBit = 1L << (2 - 1);

    private const string IgnoreSigintAndExec = """$SIG{INT} = "IGNORE"; exec { $ARGV[0] } @ARGV or die "cannot run $ARGV[0]: $!\n";""";

    private static readonly string[] ReportIgnoredSignals = ["sed", "-n", "s/^SigIgn:[[:space:]]*//p", "/proc/self/status"];

    [Fact]
    public void A_child_started_under_a_parent_that_ignores_sigint_gets_the_default_sigint()
    {
        var child = TestChildProcess.StartInfo(ReportIgnoredSignals[0], ReportIgnoredSignals[1..]);
        var mask = IgnoredSignals(["-e", IgnoreSigintAndExec, "--", child.FileName, .. child.ArgumentList]);
        Assert.True((mask & SigintBit) == 0, $"the child still ignores SIGINT (SigIgn {mask:x16})");
    }

    [Fact]
    public void Without_the_wrapper_the_child_inherits_the_ignored_sigint()
    {
        // The situation the wrapper exists for, reproduced: if this stopped holding, the test above would prove nothing.
        var mask = IgnoredSignals(["-e", IgnoreSigintAndExec, "--", .. ReportIgnoredSignals]);
        Assert.True((mask & SigintBit) != 0, $"an exec'd child of a SIGINT-ignoring parent did not inherit it (SigIgn {mask:x16})");
    }

    private static long IgnoredSignals(IEnumerable<string> perlArguments)
    {
        var (exitCode, stdout, stderr) = ProcessRunner.Run("perl", perlArguments, timeoutSeconds: 30);
        Assert.True(exitCode == 0, stderr);
        return long.Parse(stdout.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
