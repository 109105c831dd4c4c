using System.Globalization;

namespace AutoNet.Experiments;

/// <summary>What every experiment program needs: the repository it runs in (results go under it) and its `--name value` options.</summary>
internal static class ExperimentArguments
{
    /// <summary>The folder holding AutoNet.sln above the program, else the current directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoNet.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>The integer after <paramref name="name"/> on the command line, else <paramref name="fallback"/>.</summary>
    public static int Int(string name, int fallback) =>
        Text(name, null) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The word after <paramref name="name"/> on the command line, else <paramref name="fallback"/>.</summary>
    public static string? Text(string name, string? fallback)
    {
        var args = Environment.GetCommandLineArgs();
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
