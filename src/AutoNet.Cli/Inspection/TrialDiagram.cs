using AutoNet.Models.Genotypes;

namespace AutoNet.Cli.Inspection;

/// <summary>
/// Writes a cell-space trial's diagram: <c>cell.dot</c> (and <c>cell.svg</c> when Graphviz is installed) in the trial's own
/// folder, or at a --diagram path the user names. Nothing is written anywhere else, and a user's existing file is never replaced.
/// </summary>
public static class TrialDiagram
{
    public const string FileName = "cell.dot";

    /// <summary>Writes into the trial's folder (files AutoNet owns, replaced on every run).</summary>
    public static DiagramFiles WriteToTrialFolder(Genotype genotype, string trialFolder) => Write(genotype, Path.Join(trialFolder, FileName));

    /// <summary>Writes at a path the user gave: it must end in .dot, its folder must exist, and neither it nor its .svg may exist yet.</summary>
    public static DiagramFiles WriteToPath(Genotype genotype, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!full.EndsWith(".dot", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"--diagram '{path}': expected a file name ending in .dot (the SVG is written beside it)");
        }

        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
        {
            throw new CliException($"--diagram '{path}': the folder {folder} does not exist");
        }

        foreach (var file in new[] { full, Path.ChangeExtension(full, ".svg") })
        {
            if (File.Exists(file) || Directory.Exists(file))
            {
                throw new CliException($"--diagram '{path}': {file} already exists; name a new file");
            }
        }

        return Write(genotype, full);
    }

    private static DiagramFiles Write(Genotype genotype, string dotPath)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        File.WriteAllText(dotPath, CellDiagram.ToDot(genotype));
        if (!Graphviz.IsAvailable)
        {
            return new DiagramFiles(dotPath, null, "Graphviz 'dot' is not installed (apt-get install graphviz), so only the DOT file was written");
        }

        string svg;
        try
        {
            svg = CellDiagram.ToSvg(genotype);
        }
        catch (InvalidOperationException e)
        {
            return new DiagramFiles(dotPath, null, e.Message);
        }

        var svgPath = Path.ChangeExtension(dotPath, ".svg");
        File.WriteAllText(svgPath, svg);
        return new DiagramFiles(dotPath, svgPath, null);
    }
}
