using System.Text.Json.Nodes;
using AutoNet.Models.Backbones;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Models.Tests.Backbones;

/// <summary>
/// Runs torchvision once (importing it costs seconds) for every backbone: seeded random weights with non-trivial
/// BatchNorm statistics written as safetensors with torchvision's key names, its logits and pooled features on
/// inputs made here, its state-dict keys and parameter count, and its default initialisation under a seed.
/// </summary>
public sealed class TorchvisionBackbones : IDisposable
{
    public const int Classes = 10;
    public const long InitSeed = 7;

    public sealed record Reference(string File, Tensor Input, Tensor GrayInput, Tensor Logits, Tensor Features, Tensor GrayLogits,
        IReadOnlyList<string> Keys, long ParameterCount, IReadOnlyDictionary<string, double[]> InitDigest, TrainStep Train, TrainStep Train64);

    /// <summary>
    /// One training-mode step on <see cref="Reference.Input"/>: loss sum(features × Weights), stochastic depth off;
    /// <see cref="Reference.Train"/> in float32, <see cref="Reference.Train64"/> from the same state in float64.
    /// </summary>
    public sealed record TrainStep(Tensor Weights, Tensor Features, IReadOnlyDictionary<string, Tensor> Grads, IReadOnlyDictionary<string, Tensor> RunningMeans);

    private readonly DisposeScope scope;
    private readonly string folder;

    public TorchvisionBackbones()
    {
        torch.set_num_threads(2);
        folder = Directory.CreateTempSubdirectory("autonet-backbones-").FullName;
        scope = torch.NewDisposeScope();
        torch.manual_seed(123);
        var inputs = BackboneFactory.Names.ToDictionary(n => n, _ => (Rgb: torch.randn(2, 3, 64, 64), Gray: torch.randn(2, 1, 64, 64)));
        var trainWeights = BackboneFactory.Names.ToDictionary(n => n, n => torch.randn(2, FeatureDims[n]));
        var request = new JsonObject
        {
            ["dir"] = folder,
            ["cases"] = new JsonArray(BackboneFactory.Names.Select((name, i) => (JsonNode)new JsonObject
            {
                ["arch"] = name,
                ["seed"] = i + 1,
                ["num_classes"] = Classes,
                ["input"] = PythonReference.Encode(inputs[name].Rgb),
                ["gray_input"] = PythonReference.Encode(inputs[name].Gray),
                ["train_weights"] = PythonReference.Encode(trainWeights[name]),
            }).ToArray()),
            ["init"] = new JsonArray(BackboneFactory.Names.Select(name => (JsonNode)new JsonObject
            {
                ["arch"] = name,
                ["seed"] = InitSeed,
                ["num_classes"] = Classes,
            }).ToArray()),
        };
        var reply = PythonReference.Run("backbones_reference.py", request);
        var result = new Dictionary<string, Reference>();
        for (var i = 0; i < BackboneFactory.Names.Count; i++)
        {
            var name = BackboneFactory.Names[i];
            var c = reply["cases"]![i]!;
            result[name] = new Reference(
                c["file"]!.GetValue<string>(),
                inputs[name].Rgb,
                inputs[name].Gray,
                PythonReference.Decode(c["logits"]!),
                PythonReference.Decode(c["features"]!),
                PythonReference.Decode(c["gray_logits"]!),
                c["keys"]!.AsArray().Select(k => KeyLine(k![0]!.GetValue<string>(), k[1]!.AsArray().Select(d => d!.GetValue<long>()), k[2]!.GetValue<string>())).ToList(),
                c["params"]!.GetValue<long>(),
                reply["init"]![i]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(v => v!.GetValue<double>()).ToArray()),
                ReadTrainStep(trainWeights[name], c["train"]!),
                ReadTrainStep(trainWeights[name].to(ScalarType.Float64), c["train64"]!));
        }

        Backbones = result;
    }

    private static readonly Dictionary<string, long> FeatureDims = new()
    {
        ["resnet18"] = 512, ["resnet34"] = 512, ["resnet50"] = 2048, ["mobilenet_v2"] = 1280, ["efficientnet_b0"] = 1280,
    };

    public IReadOnlyDictionary<string, Reference> Backbones { get; }

    public string Folder => folder;

    private static TrainStep ReadTrainStep(Tensor weights, JsonNode step) => new(
        weights,
        PythonReference.Decode(step["features"]!),
        step["grads"]!.AsObject().ToDictionary(p => p.Key, p => PythonReference.Decode(p.Value!)),
        step["running_mean"]!.AsObject().ToDictionary(p => p.Key, p => PythonReference.Decode(p.Value!)));

    public static string KeyLine(string key, IEnumerable<long> shape, string dtype) => $"{key} [{string.Join(",", shape)}] {dtype}";

    public static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Int64 => "int64",
        _ => type.ToString(),
    };

    public void Dispose()
    {
        scope.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
