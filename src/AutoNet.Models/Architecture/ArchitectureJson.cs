using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoNet.Models.Architecture;

/// <summary>
/// The JSON form of a description (schema in Architecture/README.md): each node an object with "op" (the leaf or
/// combinator kind), "name" (null when unnamed) and its hyperparameters in snake_case; sizes as [h, w].
/// </summary>
public static class ArchitectureJson
{
    /// <summary>Schema version written beside descriptions that leave the process (model.json).</summary>
    public const int SchemaVersion = 1;

    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
        RespectNullableAnnotations = true,
    };

    private static JsonSerializerOptions IndentedOptions { get; } = new(Options) { WriteIndented = true };

    public static string Serialize(ArchNode node, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(node);
        return JsonSerializer.Serialize(node, indented ? IndentedOptions : Options);
    }

    public static ArchNode Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<ArchNode>(json, Options) ?? throw new JsonException("an architecture description is an object, not null");
    }
}
