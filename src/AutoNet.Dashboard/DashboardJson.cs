using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoNet.Dashboard;

/// <summary>How the API writes JSON: camelCase, enums by name, non-finite numbers as strings rather than an error.</summary>
internal static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
