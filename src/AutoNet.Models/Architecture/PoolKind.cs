using System.Text.Json.Serialization;

namespace AutoNet.Models.Architecture;

/// <summary>Max or average pooling (<see cref="PoolOp"/>, <see cref="GlobalPoolOp"/>); JSON "max" and "avg".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PoolKind>))]
public enum PoolKind
{
    [JsonStringEnumMemberName("max")]
    Max,

    [JsonStringEnumMemberName("avg")]
    Avg,
}
