using System.Text.Json.Nodes;
using AutoNet.Models.Architecture;
using AutoNet.Models.Backbones;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>
/// What a user's own program does with an exported package, using only TorchSharp (with PyBridge, its reader of
/// PyTorch's formats) and AutoNet.Models — no AutoNet.Export, no AutoNet CLI: build the network model.json describes
/// (an architecture description, or a torchvision backbone by name) and load weights.safetensors into it.
/// </summary>
public static class StandaloneConsumer
{
    public static nn.Module<Tensor, Tensor> Load(string packageFolder)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(packageFolder, "model.json")))!;
        var architecture = json["architecture"]!;
        nn.Module<Tensor, Tensor> network = architecture["kind"]!.GetValue<string>() == "backbone"
            ? BackboneFactory.Create(architecture["name"]!.GetValue<string>(), new BackboneOptions
            {
                NumClasses = architecture["num_classes"]!.GetValue<long>(),
                InChannels = architecture["in_channels"]!.GetValue<long>(),
            })
            : new ArchitectureModule(ArchitectureJson.Deserialize(architecture["description"]!.ToJsonString()));
        network.load_safetensors(Path.Combine(packageFolder, "weights.safetensors"), strict: true);
        network.eval();
        return network;
    }
}
