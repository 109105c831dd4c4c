namespace AutoNet.Cli.Tests;

public sealed class BootstrapTests
{
    [Fact]
    public void Without_root_a_missing_package_stops_with_the_exact_sudo_line()
    {
        // Runs the bootstrap's install step as an unprivileged user for a package that is not installed. That user may
        // not be able to read the checkout (under /root, or a mktemp -d folder: mode 0700), so it runs a copy of the
        // script in a folder anyone can read, from there.
        var asRoot = Environment.UserName == "root";
        var folder = asRoot ? ReadableCopyOfBootstrap() : RepositoryPaths.Root;
        try
        {
            var script = $"source '{folder}/scripts/bootstrap.sh'; install_packages autonet-no-such-package";
            var (exitCode, _, stderr) = asRoot
                ? ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c", script], workingDirectory: folder)
                : ProcessRunner.Run("bash", ["-c", script]);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("missing Debian packages: autonet-no-such-package", stderr);
            Assert.Contains("sudo apt-get update && sudo apt-get install -y autonet-no-such-package", stderr);
        }
        finally
        {
            if (asRoot)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Installed_packages_are_not_reported_missing()
    {
        var script = $"source '{RepositoryPaths.Root}/scripts/bootstrap.sh'; missing_packages bash coreutils autonet-no-such-package";
        var (exitCode, stdout, _) = ProcessRunner.Run("bash", new[] { "-c", script });
        Assert.Equal(0, exitCode);
        Assert.Equal("autonet-no-such-package", stdout.Trim());
    }

    /// <summary>A new folder in the temp folder, mode 0755, holding scripts/bootstrap.sh (0644).</summary>
    private static string ReadableCopyOfBootstrap()
    {
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode traversable = readable | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("setpriv and file modes are Linux's");
        }

        var folder = Directory.CreateTempSubdirectory("autonet-bootstrap-").FullName;
        var scripts = Directory.CreateDirectory(Path.Join(folder, "scripts")).FullName;
        var copy = Path.Join(scripts, "bootstrap.sh");
        File.Copy(Path.Join(RepositoryPaths.Root, "scripts", "bootstrap.sh"), copy);
        File.SetUnixFileMode(copy, readable | UnixFileMode.UserWrite);
        File.SetUnixFileMode(scripts, traversable);
        File.SetUnixFileMode(folder, traversable);
        return folder;
    }
}
