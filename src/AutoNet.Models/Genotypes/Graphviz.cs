using System.Diagnostics;

namespace AutoNet.Models.Genotypes;

/// <summary>Graphviz's <c>dot</c>, found on PATH; optional (Debian package graphviz).</summary>
public static class Graphviz
{
    /// <summary>The full path of <c>dot</c>, or null when it is not installed.</summary>
    public static string? DotPath { get; } = Find();

    public static bool IsAvailable => DotPath is not null;

    /// <summary>Renders DOT text to SVG with <c>dot -Tsvg</c>; throws <see cref="InvalidOperationException"/> when dot is missing or fails.</summary>
    public static string RenderSvg(string dot, int timeoutSeconds = 30)
    {
        ArgumentNullException.ThrowIfNull(dot);
        var path = DotPath ?? throw new InvalidOperationException(
            "Graphviz 'dot' is not installed, so the diagram cannot be rendered as SVG (install it with: apt-get install graphviz); the DOT text works without it");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-Tsvg");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dot);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{path} -Tsvg did not finish in {timeoutSeconds}s");
        }

        return process.ExitCode == 0
            ? stdout.Result
            : throw new InvalidOperationException($"{path} -Tsvg failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
    }

    private static string? Find()
    {
        var paths = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var names = OperatingSystem.IsWindows() ? new[] { "dot.exe" } : new[] { "dot" };
        return paths.SelectMany(p => names.Select(n => Path.Combine(p, n))).FirstOrDefault(File.Exists);
    }
}
