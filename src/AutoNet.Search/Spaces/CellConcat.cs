namespace AutoNet.Search.Spaces;

/// <summary>Which block outputs a sampled cell concatenates into its output.</summary>
public enum CellConcat
{
    /// <summary>The block outputs no later block reads (NASNet's rule).</summary>
    Unused,

    /// <summary>Every block output (DARTS' rule: <c>concat = range(2, B + 2)</c>).</summary>
    All,
}
