using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoNet.Export.Packaging;

/// <summary>Typed reads from model.json that fail with the file, the JSON path, what was found and what was expected.</summary>
internal sealed class JsonFields(string file)
{
    public string File { get; } = file;

    public ModelPackageException Error(string path, string problem) => new($"{File}: {path}: {problem}");

    public JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw Error(path, $"expected an object, found {Describe(node)}");

    public JsonObject Object(JsonObject parent, string parentPath, string name) => Object(Required(parent, parentPath, name), Join(parentPath, name));

    public JsonArray Array(JsonObject parent, string parentPath, string name) =>
        Required(parent, parentPath, name) as JsonArray ?? throw Error(Join(parentPath, name), $"expected an array, found {Describe(parent[name])}");

    public JsonNode Required(JsonObject parent, string parentPath, string name) =>
        parent[name] ?? throw Error(Join(parentPath, name), "is missing");

    public string String(JsonObject parent, string parentPath, string name) => StringValue(Required(parent, parentPath, name), Join(parentPath, name));

    public string StringValue(JsonNode? node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Error(path, $"expected a string, found {Describe(node)}");

    public long Integer(JsonObject parent, string parentPath, string name) => IntegerValue(Required(parent, parentPath, name), Join(parentPath, name));

    public long IntegerValue(JsonNode? node, string path)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var value))
        {
            return value;
        }

        throw Error(path, $"expected an integer, found {Describe(node)}");
    }

    public int Int32(JsonObject parent, string parentPath, string name)
    {
        var value = Integer(parent, parentPath, name);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error(Join(parentPath, name), $"{value} is out of range");
    }

    public double Number(JsonObject parent, string parentPath, string name) => NumberValue(Required(parent, parentPath, name), Join(parentPath, name));

    public double? OptionalNumber(JsonObject parent, string parentPath, string name) =>
        parent[name] is null ? null : NumberValue(parent[name], Join(parentPath, name));

    public double NumberValue(JsonNode? node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : throw Error(path, $"expected a number, found {Describe(node)}");

    public bool Boolean(JsonObject parent, string parentPath, string name)
    {
        var node = Required(parent, parentPath, name);
        return node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw Error(Join(parentPath, name), $"expected true or false, found {Describe(node)}");
    }

    public T Choice<T>(JsonObject parent, string parentPath, string name, IReadOnlyDictionary<string, T> choices)
    {
        var value = String(parent, parentPath, name);
        return choices.TryGetValue(value, out var choice)
            ? choice
            : throw Error(Join(parentPath, name), $"\"{value}\" is not one of {string.Join(", ", choices.Keys.Select(k => $"\"{k}\""))}");
    }

    public static string Join(string parentPath, string name) => parentPath + "." + name;

    private static string Describe(JsonNode? node) => node is null ? "nothing (null)" : node.ToJsonString();
}
