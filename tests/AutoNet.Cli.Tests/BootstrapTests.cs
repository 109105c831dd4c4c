namespace AutoNet.Cli.Tests;

public sealed class BootstrapTests
{
    [Fact]
    public void Without_root_a_missing_package_stops_with_the_exact_sudo_line()
    {
        // Runs the bootstrap's install step as an unprivileged user for a package that is not installed.
        var script = $"source '{RepositoryPaths.Root}/scripts/bootstrap.sh'; install_packages autonet-no-such-package";
        var asRoot = Environment.UserName == "root";
        var (exitCode, _, stderr) = asRoot
            ? ProcessRunner.Run("setpriv", new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c", script })
            : ProcessRunner.Run("bash", new[] { "-c", script });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("missing Debian packages: autonet-no-such-package", stderr);
        Assert.Contains("sudo apt-get update && sudo apt-get install -y autonet-no-such-package", stderr);
    }

    [Fact]
    public void Installed_packages_are_not_reported_missing()
    {
        var script = $"source '{RepositoryPaths.Root}/scripts/bootstrap.sh'; missing_packages bash coreutils autonet-no-such-package";
        var (exitCode, stdout, _) = ProcessRunner.Run("bash", new[] { "-c", script });
        Assert.Equal(0, exitCode);
        Assert.Equal("autonet-no-such-package", stdout.Trim());
    }
}
