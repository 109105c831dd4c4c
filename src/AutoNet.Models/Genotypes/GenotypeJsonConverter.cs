using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoNet.Models.Genotypes;

/// <summary>Lets System.Text.Json read and write a <see cref="Genotype"/> inside other documents, in the format of <see cref="Genotype.ToJson"/>.</summary>
public sealed class GenotypeJsonConverter : JsonConverter<Genotype>
{
    public override Genotype Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return Genotype.FromJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, Genotype value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteRawValue(value.ToJson(indented: false));
    }
}
