namespace AutoNet.Cli.Tests;

/// <summary>How a command's failure reaches the user: bad input is an error message, anything else is a bug with its details in a log file.</summary>
public sealed class CliErrorsTests : IDisposable
{
    private readonly string crashFolder = Directory.CreateTempSubdirectory("autonet-crash-").FullName;

    public void Dispose() => Directory.Delete(crashFolder, recursive: true);

    [Fact]
    public async Task An_unexpected_exception_says_it_is_a_bug_and_where_the_stack_trace_was_written()
    {
        using var error = new StringWriter();

        var exitCode = await CliErrors.RunAsync(() => Task.FromResult(Fail()), error, crashFolder);

        Assert.Equal(CliErrors.Bug, exitCode);
        var message = error.ToString();
        Assert.Single(message.TrimEnd().Split('\n'));
        Assert.StartsWith("autonet: this is a bug in AutoNet (InvalidOperationException: the coordinator lost a trial)", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        var log = Assert.Single(Directory.GetFiles(crashFolder));
        Assert.Contains($"details were written to {log}", message, StringComparison.Ordinal);
        var details = File.ReadAllText(log);
        Assert.Contains("System.InvalidOperationException: the coordinator lost a trial", details, StringComparison.Ordinal);
        Assert.Contains($"   at {typeof(CliErrorsTests).FullName}.{nameof(Fail)}", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_argument_exception_from_inside_AutoNet_is_a_bug_not_the_users_mistake()
    {
        using var error = new StringWriter();

        var exitCode = await CliErrors.RunAsync(() => throw new ArgumentException("index was out of range"), error, crashFolder);

        Assert.Equal(CliErrors.Bug, exitCode);
        Assert.StartsWith("autonet: this is a bug in AutoNet (ArgumentException: index was out of range)", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("error:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_error_is_one_message_with_status_1_and_no_crash_log()
    {
        using var error = new StringWriter();

        var exitCode = await CliErrors.RunAsync(() => throw new CliException("--max-trials 0: expected at least 1"), error, crashFolder);

        Assert.Equal(CliErrors.Failure, exitCode);
        Assert.Equal("error: --max-trials 0: expected at least 1", error.ToString().TrimEnd());
        Assert.Empty(Directory.GetFiles(crashFolder));
    }

    [Fact]
    public async Task When_the_log_cannot_be_written_the_details_go_to_stderr_instead_of_being_lost()
    {
        using var error = new StringWriter();
        var blocked = Path.Join(crashFolder, "a-file");
        File.WriteAllText(blocked, "not a folder");

        var exitCode = await CliErrors.RunAsync(() => Task.FromResult(Fail()), error, blocked);

        Assert.Equal(CliErrors.Bug, exitCode);
        Assert.Contains("this is a bug in AutoNet", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"   at {typeof(CliErrorsTests).FullName}.{nameof(Fail)}", error.ToString(), StringComparison.Ordinal);
    }

    private static int Fail() => throw new InvalidOperationException("the coordinator lost a trial");
}
