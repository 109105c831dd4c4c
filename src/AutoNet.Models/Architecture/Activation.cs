using System.Text.Json.Serialization;

namespace AutoNet.Models.Architecture;

/// <summary>The element-wise activations of <see cref="ActivationOp"/>, by their PyTorch functional names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Activation>))]
public enum Activation
{
    [JsonStringEnumMemberName("relu")]
    Relu,

    [JsonStringEnumMemberName("relu6")]
    Relu6,

    [JsonStringEnumMemberName("silu")]
    Silu,

    [JsonStringEnumMemberName("sigmoid")]
    Sigmoid,
}
