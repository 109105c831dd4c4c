using System.Text.Json;

namespace AutoNet.Cli;

/// <summary>One JSON style for every --json output: camelCase, indented, stable for scripts.</summary>
public static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
