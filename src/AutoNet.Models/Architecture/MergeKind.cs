using System.Text.Json.Serialization;

namespace AutoNet.Models.Architecture;

/// <summary>How several tensors become one: element-wise sum, product, or concatenation along channels (dim 1).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MergeKind>))]
public enum MergeKind
{
    [JsonStringEnumMemberName("add")]
    Add,

    [JsonStringEnumMemberName("mul")]
    Mul,

    [JsonStringEnumMemberName("concat")]
    Concat,
}
