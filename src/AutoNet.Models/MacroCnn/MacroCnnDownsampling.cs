using System.Text.Json.Serialization;

namespace AutoNet.Models.MacroCnn;

/// <summary>How a macro-cnn halves resolution at the start of every stage after the first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MacroCnnDownsampling>))]
public enum MacroCnnDownsampling
{
    /// <summary>A 2×2 max pool before the stage.</summary>
    MaxPool,

    /// <summary>A 2×2 average pool before the stage.</summary>
    AvgPool,

    /// <summary>Stride 2 in the stage's first convolution (and its shortcut).</summary>
    StridedConv,
}
