using System.Text.Json.Nodes;
using AutoNet.Torch.NN;

namespace AutoNet.Torch.Tests;

/// <summary>
/// Every module parity case: the C# module, the same module described for PyTorch (a torch.nn class and its
/// arguments), an input, and whether it runs in training mode.
/// </summary>
public static class ModuleParityCases
{
    public sealed record Case(Module Module, JsonObject Spec, Tensor Input, bool Train);

    public static readonly IReadOnlyDictionary<string, Func<Case>> All = new Dictionary<string, Func<Case>>
    {
        ["conv2d"] = () => new(new Conv2d(3, 4, 3, padding: 1), Spec("Conv2d", A(3, 4, 3), K(("padding", 1))), Randn(2, 3, 7, 6), true),
        ["conv2d grouped dilated strided"] = () => new(new Conv2d(4, 6, 3, stride: 2, padding: 2, dilation: 2, groups: 2),
            Spec("Conv2d", A(4, 6, 3), K(("stride", 2), ("padding", 2), ("dilation", 2), ("groups", 2))), Randn(2, 4, 9, 8), true),
        ["conv2d depthwise without bias"] = () => new(new Conv2d(4, 4, (3, 1), padding: (1, 0), groups: 4, bias: false),
            Spec("Conv2d", A(4, 4, A(3, 1)), K(("padding", A(1, 0)), ("groups", 4), ("bias", false))), Randn(2, 4, 5, 5), true),
        ["linear"] = () => new(new Linear(5, 3), Spec("Linear", A(5, 3)), Randn(4, 5), true),
        ["linear without bias on 3-D input"] = () => new(new Linear(5, 3, bias: false), Spec("Linear", A(5, 3), K(("bias", false))), Randn(2, 4, 5), true),
        ["batchnorm2d train"] = () => new(new BatchNorm2d(3), Spec("BatchNorm2d", A(3)), Randn(4, 3, 5, 5), true),
        ["batchnorm2d eval"] = () => new(WithRandomStats(new BatchNorm2d(3)), Spec("BatchNorm2d", A(3)), Randn(4, 3, 5, 5), false),
        ["batchnorm2d not affine momentum 0.3"] = () => new(new BatchNorm2d(3, affine: false, momentum: 0.3),
            Spec("BatchNorm2d", A(3), K(("affine", false), ("momentum", 0.3))), Randn(4, 3, 2, 2), true),
        ["batchnorm2d cumulative average"] = () => new(WithRandomStats(new BatchNorm2d(3, momentum: null)),
            Spec("BatchNorm2d", A(3), K(("momentum", null))), Randn(4, 3, 2, 2), true),
        ["batchnorm2d without running stats in eval"] = () => new(new BatchNorm2d(3, trackRunningStats: false),
            Spec("BatchNorm2d", A(3), K(("track_running_stats", false))), Randn(4, 3, 2, 2), false),
        ["batchnorm1d train 2-D"] = () => new(new BatchNorm1d(5), Spec("BatchNorm1d", A(5)), Randn(6, 5), true),
        ["batchnorm1d eval 3-D"] = () => new(WithRandomStats(new BatchNorm1d(5, eps: 1e-3)), Spec("BatchNorm1d", A(5), K(("eps", 1e-3))), Randn(3, 5, 4), false),
        ["layernorm"] = () => new(WithRandomAffine(new LayerNorm(new long[] { 4, 3 })), Spec("LayerNorm", A(A(4, 3))), Randn(2, 5, 4, 3), true),
        ["groupnorm"] = () => new(WithRandomAffine(new GroupNorm(2, 6)), Spec("GroupNorm", A(2, 6)), Randn(2, 6, 3, 3), true),
        ["maxpool2d"] = () => new(new MaxPool2d(3, stride: 2, padding: 1), Spec("MaxPool2d", A(3), K(("stride", 2), ("padding", 1))), Randn(2, 3, 7, 7), true),
        ["avgpool2d ceil without pad counting"] = () => new(new AvgPool2d(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false),
            Spec("AvgPool2d", A(3), K(("stride", 2), ("padding", 1), ("ceil_mode", true), ("count_include_pad", false))), Randn(2, 3, 8, 8), true),
        ["adaptiveavgpool2d to 1"] = () => new(new AdaptiveAvgPool2d(1), Spec("AdaptiveAvgPool2d", A(1)), Randn(2, 3, 5, 4), true),
        ["adaptiveavgpool2d to 3x2"] = () => new(new AdaptiveAvgPool2d((3, 2)), Spec("AdaptiveAvgPool2d", A(A(3, 2))), Randn(2, 3, 7, 5), true),
        ["flatten"] = () => new(new Flatten(), Spec("Flatten"), Randn(2, 3, 4, 5), true),
        ["relu"] = () => new(new ReLU(), Spec("ReLU"), Randn(3, 7), true),
        ["relu6"] = () => new(new ReLU6(), Spec("ReLU6"), Randn(3, 7).Mul(4), true),
        ["gelu"] = () => new(new GELU(), Spec("GELU"), Randn(3, 7), true),
        ["gelu tanh"] = () => new(new GELU(tanhApproximation: true), Spec("GELU", K(("approximate", "tanh"))), Randn(3, 7), true),
        ["silu"] = () => new(new SiLU(), Spec("SiLU"), Randn(3, 7), true),
        ["hardswish"] = () => new(new Hardswish(), Spec("Hardswish"), Randn(3, 7).Mul(3), true),
        ["hardsigmoid"] = () => new(new Hardsigmoid(), Spec("Hardsigmoid"), Randn(3, 7).Mul(3), true),
        ["sigmoid"] = () => new(new Sigmoid(), Spec("Sigmoid"), Randn(3, 7), true),
        ["tanh"] = () => new(new Tanh(), Spec("Tanh"), Randn(3, 7), true),
        ["identity"] = () => new(new Identity(), Spec("Identity"), Randn(3, 7), true),
        ["dropout in eval"] = () => new(new Dropout(0.4), Spec("Dropout", A(0.4)), Randn(3, 7), false),
        ["dropout2d in eval"] = () => new(new Dropout2d(0.4), Spec("Dropout2d", A(0.4)), Randn(2, 3, 4, 4), false),
        ["sequential conv bn relu pool linear"] = () => new(
            new Sequential(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 2)),
            Seq(Spec("Conv2d", A(3, 4, 3), K(("padding", 1))), Spec("BatchNorm2d", A(4)), Spec("ReLU"), Spec("AdaptiveAvgPool2d", A(1)), Spec("Flatten"), Spec("Linear", A(4, 2))),
            Randn(3, 3, 6, 6), true),
        ["lstmcell"] = () => new(new LSTMCell(4, 3), Spec("LSTMCell", A(4, 3)), Randn(5, 4), true),
        ["lstm single layer"] = () => new(new LSTM(4, 3), Spec("LSTM", A(4, 3)), Randn(6, 2, 4), true),
        ["lstm two layers batch first"] = () => new(new LSTM(4, 5, numLayers: 2, batchFirst: true),
            Spec("LSTM", A(4, 5), K(("num_layers", 2), ("batch_first", true))), Randn(2, 6, 4), true),
        ["lstm three layers without bias"] = () => new(new LSTM(3, 2, numLayers: 3, bias: false),
            Spec("LSTM", A(3, 2), K(("num_layers", 3), ("bias", false))), Randn(4, 2, 3), false),
        ["embedding with padding"] = () => new(new Embedding(7, 3, paddingIdx: 0), Spec("Embedding", A(7, 3), K(("padding_idx", 0))),
            Torch.FromArray(new long[] { 0, 3, 6, 3, 1, 0 }, 2, 3), true),
    };

    private static Tensor Randn(params long[] shape) => Torch.Randn(shape);

    private static JsonArray A(params object[] items) => new(items.Select(ToNode).ToArray());

    private static JsonObject K(params (string Key, object? Value)[] items)
    {
        var result = new JsonObject();
        foreach (var (key, value) in items)
        {
            result[key] = ToNode(value);
        }

        return result;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node,
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => throw new ArgumentException($"cannot describe {value.GetType()} to Python"),
    };

    private static JsonObject Spec(string type, JsonArray? args = null, JsonObject? kwargs = null) =>
        new() { ["type"] = type, ["args"] = args ?? new JsonArray(), ["kwargs"] = kwargs ?? new JsonObject() };

    private static JsonObject Spec(string type, JsonObject kwargs) => Spec(type, null, kwargs);

    private static JsonObject Seq(params JsonObject[] children) => new() { ["type"] = "Sequential", ["children"] = new JsonArray(children) };

    // Fresh modules have running_mean 0 and running_var 1, which would hide a wrong use of the running statistics.
    private static T WithRandomStats<T>(T module)
        where T : BatchNorm
    {
        using var noGrad = Torch.NoGrad();
        using var mean = Torch.Randn(new[] { module.NumFeatures });
        using var variance = Torch.Rand(new[] { module.NumFeatures }).Add(0.5);
        module.RunningMean!.CopyFrom(mean);
        module.RunningVar!.CopyFrom(variance);
        module.NumBatchesTracked!.Fill_(3);
        return module;
    }

    // Ones and zeros would hide a swapped or ignored weight and bias.
    private static T WithRandomAffine<T>(T module)
        where T : Module
    {
        using var noGrad = Torch.NoGrad();
        foreach (var parameter in module.Parameters())
        {
            parameter.Normal_();
        }

        return module;
    }
}
