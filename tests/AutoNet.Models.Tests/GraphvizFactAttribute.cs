using AutoNet.Models.Genotypes;

namespace AutoNet.Models.Tests;

/// <summary>A fact that needs Graphviz's dot (Debian: graphviz); reported skipped where it is not installed.</summary>
public sealed class GraphvizFactAttribute : FactAttribute
{
    public GraphvizFactAttribute()
    {
        if (!Graphviz.IsAvailable)
        {
            Skip = "Graphviz 'dot' is not installed (apt-get install graphviz)";
        }
    }
}
