using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoNet.Models.Genotypes;

/// <summary>
/// A NASNet/DARTS-style cell architecture: the normal cell (keeps resolution and width) and the reduction cell
/// (halves resolution, doubles width). Network-level choices (channels, cells per stage, stages) live in
/// <see cref="Cells.CellNetworkSettings"/>. Immutable and always valid.
/// <para>
/// JSON (see <see cref="ToJson"/>):
/// <c>{"normal": {"blocks": [[{"op": "sep_conv_3x3", "input": 0}, {"op": "skip_connect", "input": 1}], …],
/// "concat": [2, 3]}, "reduction": {…}}</c>; "concat" is optional (omitted: the block outputs no later block
/// reads). On reading, an input may also be written DARTS' way, as <c>["sep_conv_3x3", 0]</c>.
/// </para>
/// </summary>
[JsonConverter(typeof(GenotypeJsonConverter))]
public sealed class Genotype : IEquatable<Genotype>
{
    private string? hash;

    public Genotype(CellGenotype normal, CellGenotype reduction)
    {
        Normal = normal ?? throw new ArgumentNullException(nameof(normal));
        Reduction = reduction ?? throw new ArgumentNullException(nameof(reduction));
    }

    public CellGenotype Normal { get; }

    public CellGenotype Reduction { get; }

    /// <summary>The canonical form: both cells canonicalised (see <see cref="CellGenotype.Canonicalize"/>).</summary>
    public Genotype Canonicalize() => new(Normal.Canonicalize(), Reduction.Canonicalize());

    /// <summary>
    /// Lowercase hex SHA-256 of the UTF-8 bytes of <see cref="ToCanonicalJson"/>: equal for genotypes that describe
    /// the same cells, however their blocks and inputs were ordered.
    /// </summary>
    public string Hash => hash ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson())));

    /// <summary>The canonical form as compact JSON, concat always written out: the text <see cref="Hash"/> is taken over.</summary>
    public string ToCanonicalJson() => Canonicalize().ToJson(indented: false, explicitConcat: true);

    /// <summary>This genotype as written (not canonicalised), indented by default; concat only when explicit.</summary>
    public string ToJson(bool indented = true) => ToJson(indented, explicitConcat: false);

    private string ToJson(bool indented, bool explicitConcat)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            WriteCell(writer, "normal", Normal, explicitConcat);
            WriteCell(writer, "reduction", Reduction, explicitConcat);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCell(Utf8JsonWriter writer, string name, CellGenotype cell, bool explicitConcat)
    {
        writer.WriteStartObject(name);
        writer.WriteStartArray("blocks");
        foreach (var block in cell.Blocks)
        {
            writer.WriteStartArray();
            foreach (var input in new[] { block.First, block.Second })
            {
                writer.WriteStartObject();
                writer.WriteString("op", input.Op);
                writer.WriteNumber("input", input.Input);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        var concat = explicitConcat ? cell.OutputStates : cell.Concat;
        if (concat is not null)
        {
            writer.WriteStartArray("concat");
            foreach (var state in concat)
            {
                writer.WriteNumberValue(state);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a genotype from JSON; any problem throws <see cref="GenotypeException"/> naming the JSON path (and <paramref name="source"/>, e.g. a file name).</summary>
    public static Genotype FromJson(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var prefix = source is null ? string.Empty : source + ": ";
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            Expect(root, JsonValueKind.Object, "$", "an object with \"normal\" and \"reduction\"");
            CheckProperties(root, "$", "normal", "reduction");
            return new Genotype(ReadCell(Required(root, "$", "normal"), "$.normal"), ReadCell(Required(root, "$", "reduction"), "$.reduction"));
        }
        catch (JsonException e)
        {
            throw new GenotypeException(prefix + "$", $"not valid JSON: {e.Message}", e);
        }
        catch (GenotypeException e) when (source is not null)
        {
            throw new GenotypeException(prefix + e.Path, e.Problem, e);
        }
    }

    /// <summary>Reads a genotype file (see <see cref="FromJson"/>); errors name the file.</summary>
    public static Genotype Load(string path) => FromJson(File.ReadAllText(path), path);

    private static CellGenotype ReadCell(JsonElement cell, string path)
    {
        Expect(cell, JsonValueKind.Object, path, "an object with \"blocks\" (and optionally \"concat\")");
        CheckProperties(cell, path, "blocks", "concat");
        var blocksElement = Required(cell, path, "blocks");
        Expect(blocksElement, JsonValueKind.Array, path + ".blocks", "an array of blocks");
        var blocks = new List<CellBlock>();
        var k = 0;
        foreach (var block in blocksElement.EnumerateArray())
        {
            var blockPath = $"{path}.blocks[{k}]";
            if (block.ValueKind != JsonValueKind.Array || block.GetArrayLength() != 2)
            {
                throw new GenotypeException(blockPath, $"a block is an array of exactly two inputs, got {Describe(block)}");
            }

            blocks.Add(new CellBlock(ReadInput(block[0], blockPath + "[0]"), ReadInput(block[1], blockPath + "[1]")));
            k++;
        }

        List<int>? concat = null;
        if (cell.TryGetProperty("concat", out var concatElement) && concatElement.ValueKind != JsonValueKind.Null)
        {
            Expect(concatElement, JsonValueKind.Array, path + ".concat", "an array of state indices");
            concat = [];
            var i = 0;
            foreach (var state in concatElement.EnumerateArray())
            {
                concat.Add(ReadInt(state, $"{path}.concat[{i++}]"));
            }
        }

        return new CellGenotype(blocks, concat, path);
    }

    private static BlockInput ReadInput(JsonElement input, string path)
    {
        if (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() == 2)
        {
            // DARTS' genotypes.py form: (op, input).
            return new BlockInput(ReadInt(input[1], path + "[1]"), ReadString(input[0], path + "[0]"));
        }

        Expect(input, JsonValueKind.Object, path, "an input {\"op\": name, \"input\": state} or [name, state]");
        CheckProperties(input, path, "op", "input");
        return new BlockInput(ReadInt(Required(input, path, "input"), path + ".input"), ReadString(Required(input, path, "op"), path + ".op"));
    }

    private static int ReadInt(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw new GenotypeException(path, $"expected a state index (an integer), got {Describe(element)}");

    private static string ReadString(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new GenotypeException(path, $"expected an op name (a string), got {Describe(element)}");

    private static JsonElement Required(JsonElement obj, string path, string name) =>
        obj.TryGetProperty(name, out var value) ? value : throw new GenotypeException(path, $"\"{name}\" is missing");

    private static void Expect(JsonElement element, JsonValueKind kind, string path, string expected)
    {
        if (element.ValueKind != kind)
        {
            throw new GenotypeException(path, $"expected {expected}, got {Describe(element)}");
        }
    }

    private static void CheckProperties(JsonElement obj, string path, params string[] allowed)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new GenotypeException($"{path}.{property.Name}", $"unknown property \"{property.Name}\"; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => $"an array of {element.GetArrayLength()}",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };

    // ---- equality (as written; compare Hash for "same architecture") ---------------------------

    public bool Equals(Genotype? other) => other is not null && Normal.Equals(other.Normal) && Reduction.Equals(other.Reduction);

    public override bool Equals(object? obj) => Equals(obj as Genotype);

    public override int GetHashCode() => HashCode.Combine(Normal, Reduction);

    public override string ToString() => $"normal: {Normal}; reduction: {Reduction}";
}
