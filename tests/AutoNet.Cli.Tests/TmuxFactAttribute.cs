namespace AutoNet.Cli.Tests;

/// <summary>A test that drives a real terminal through tmux; reported as skipped, with the reason, where tmux is missing.</summary>
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Any(folder => folder.Length > 0 && File.Exists(Path.Join(folder, "tmux")));
        if (!found)
        {
            Skip = "needs tmux on PATH (./test.sh installs the Debian package)";
        }
    }
}
