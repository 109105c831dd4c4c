namespace AutoNet.Search.Spaces;

/// <summary>The type of a sampled value; a categorical parameter's choices all share one.</summary>
public enum ValueKind
{
    String,
    Int,
    Float,
    Bool,
}
