using System.Text.Json.Serialization;

namespace AutoNet.Models.MacroCnn;

/// <summary>
/// The pooling before a macro-cnn's classifier. Its one string vocabulary is here: "avg" and "max" (search spaces,
/// model.json); <see cref="GlobalPoolingNames"/> parses them (and the "average" older packages wrote).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<GlobalPooling>))]
public enum GlobalPooling
{
    [JsonStringEnumMemberName(GlobalPoolingNames.Average)]
    Average,

    [JsonStringEnumMemberName(GlobalPoolingNames.Max)]
    Max,
}
