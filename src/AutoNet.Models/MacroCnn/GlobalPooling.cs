using System.Text.Json.Serialization;

namespace AutoNet.Models.MacroCnn;

/// <summary>The pooling before a macro-cnn's classifier.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GlobalPooling>))]
public enum GlobalPooling
{
    Average,
    Max,
}
