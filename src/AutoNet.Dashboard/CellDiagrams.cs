using AutoNet.Models.Genotypes;
using AutoNet.Store;

namespace AutoNet.Dashboard;

/// <summary>A cell-space trial's normal and reduction cells drawn by Graphviz (as `autonet show --diagram` draws them).</summary>
internal static class CellDiagrams
{
    /// <summary>"available", or why the trial has no cell diagram (a macro network, Graphviz missing).</summary>
    public static string Availability(string genotypeJson)
    {
        if (!IsCell(genotypeJson))
        {
            return "not a cell network: its architecture is the list of choices above";
        }

        return Graphviz.IsAvailable ? "available" : "Graphviz's 'dot' is not installed on the dashboard's machine (apt-get install graphviz)";
    }

    public static string Svg(Trial trial)
    {
        var availability = Availability(trial.GenotypeJson);
        if (availability != "available")
        {
            throw new DashboardNotFoundException($"trial {trial.Number} has no cell diagram: {availability}");
        }

        try
        {
            return CellDiagram.ToSvg(Genotype.FromJson(trial.GenotypeJson, $"trial {trial.Number}'s genotype"));
        }
        catch (InvalidOperationException e)
        {
            throw new DashboardNotFoundException($"trial {trial.Number}'s cell diagram could not be drawn: {e.Message}", e);
        }
    }

    private static bool IsCell(string genotypeJson)
    {
        try
        {
            Genotype.FromJson(genotypeJson);
            return true;
        }
        catch (Exception e) when (e is GenotypeException or System.Text.Json.JsonException or ArgumentException or FormatException)
        {
            return false;
        }
    }
}
