namespace AutoNet.Cli.Tests;

/// <summary>Finds the repository root (where AutoNet.sln is) from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no AutoNet.sln above {AppContext.BaseDirectory}");
    }
}
