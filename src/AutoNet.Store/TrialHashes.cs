using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoNet.Store;

/// <summary>The hash that identifies a trial's configuration, for finding duplicates.</summary>
public static class TrialHashes
{
    /// <summary>
    /// Lower-case hex SHA-256 of the genotype hash and the canonical form of the hyperparameters
    /// (object keys sorted, no whitespace), so <c>{"lr":0.1,"wd":0}</c> and <c>{ "wd": 0, "lr": 0.1 }</c> agree.
    /// </summary>
    public static string ConfigHash(string genotypeHash, string hyperparametersJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(genotypeHash);
        var canonical = CanonicalJson(hyperparametersJson, "hyperparametersJson");
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(genotypeHash + "\n" + canonical));
        return Convert.ToHexStringLower(bytes);
    }

    internal static string CanonicalJson(string json, string field)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{field} is not valid JSON: {e.Message}", field, e);
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
