using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoNet.Models.Architecture;

/// <summary>Writes a <see cref="Size2"/> as <c>[h, w]</c>; reads that or a single number for a square.</summary>
public sealed class Size2JsonConverter : JsonConverter<Size2>
{
    public override Size2 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return Size2.Square(reader.GetInt64());
        }

        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("a size is [height, width] or one number");
        }

        var h = reader.GetInt64();
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("a size is [height, width] or one number");
        }

        var w = reader.GetInt64();
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("a size has two numbers, [height, width]");
        }

        return new Size2(h, w);
    }

    public override void Write(Utf8JsonWriter writer, Size2 value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue(value.H);
        writer.WriteNumberValue(value.W);
        writer.WriteEndArray();
    }
}
