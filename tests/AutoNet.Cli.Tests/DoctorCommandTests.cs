using System.Text.Json;

namespace AutoNet.Cli.Tests;

public sealed class DoctorCommandTests
{
    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    [Fact]
    public void Doctor_json_reports_torchsharp_the_libstdcxx_fix_threads_cuda_and_data()
    {
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", new[] { CliDll, "doctor", "--json", "--threads", "2" });
        Assert.True(exitCode == 0, stderr + stdout);
        using var report = JsonDocument.Parse(stdout);
        Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
        var checks = report.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("value").GetString()!);
        Assert.Contains("libtorch 2.10", checks["TorchSharp"]);
        var systemLacksIt = !AutoNet.Torch.Loading.ElfSharedObject.Read(AutoNet.Torch.Loading.TorchSharpLibstdcxxFix.FindSystemLibstdcxx()!)
            .VersionDefinitions().Contains("GLIBCXX_3.4.32");
        Assert.Contains(systemLacksIt ? "marked weak in this copy" : "nothing touched", checks["libstdc++ for TorchSharp"]);
        Assert.StartsWith("2 of ", checks["threads"]);
        Assert.Contains("CUDA", checks.Keys);
        Assert.Equal(DoctorCommand.FashionMnistDefaultFolder, checks["fashion-mnist"]);
    }

    [Fact]
    public void Doctor_fails_and_names_the_folder_when_the_data_set_is_missing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "autonet-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var (exitCode, stdout, _) = ProcessRunner.Run("dotnet", new[] { CliDll, "doctor", "--json" },
            environment: new Dictionary<string, string> { [DoctorCommand.FashionMnistEnvironmentVariable] = missing });
        Assert.Equal(1, exitCode);
        Assert.Contains(missing, stdout);
        Assert.Contains("dataset-fashion-mnist", stdout);
    }

    [Fact]
    public void Unknown_commands_fail_with_a_non_zero_exit()
    {
        var (exitCode, _, stderr) = ProcessRunner.Run("dotnet", new[] { CliDll, "no-such-command" });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("no-such-command", stderr);
    }
}
