using System.Text.Json;

namespace AutoNet.Search.Spaces;

/// <summary>JSON path fragments as JSONPath writes them: <c>$.a.b</c>, <c>$['odd key']</c>, <c>$.a[2]</c>.</summary>
internal static class JsonPaths
{
    public const string Root = "$";

    public static string Child(string parent, string name) =>
        IsIdentifier(name) ? $"{parent}.{name}" : $"{parent}[{JsonSerializer.Serialize(name).Replace("\"", "'", StringComparison.Ordinal)}]";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
