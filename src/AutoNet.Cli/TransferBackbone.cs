using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Export.Packaging;
using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli;

/// <summary>
/// What `search --space transfer --backbone-weights` starts from: a torchvision state dict (.pth or safetensors) of
/// one of AutoNet's backbones, told apart by its tensor names and shapes, or an AutoNet model package folder. The
/// experiment stores the space with that choice fixed (the backbone and the absolute path), so the search explores the
/// head and the fine-tuning schedule, and a resumed search, a worker or `export` rebuild the same networks.
/// </summary>
public static class TransferBackbone
{
    public const string Option = "--backbone-weights";

    /// <summary>How to get weights onto a machine that cannot download them, for the messages that ask for them.</summary>
    public const string HowToGetWeights =
        "AutoNet downloads nothing, so the transfer space needs pretrained weights given with --backbone-weights: a torchvision state dict of " +
        "resnet18, resnet34, resnet50, mobilenet_v2 or efficientnet_b0 as .pth or .safetensors (written on a machine with internet, e.g. " +
        "torch.save(torchvision.models.resnet18(weights=\"DEFAULT\").state_dict(), \"resnet18.pth\")), or the folder of a model exported by `autonet export`";

    /// <summary>Where trials find package networks (the scheduling layer cannot read packages itself).</summary>
    public static TransferSources Sources { get; } = new() { PackageLoader = LoadPackageNetwork };

    /// <summary>
    /// The transfer space JSON with its backbone fixed by <paramref name="source"/> (a weights file or a package
    /// folder), plus one line for the terminal saying what was found. Errors name the file and the first key or shape
    /// at fault (<see cref="WeightsFileException"/>) or the package file and field (<see cref="ModelPackageException"/>).
    /// </summary>
    public static (string SpaceJson, string Reason, int? PackageChannels) Pin(string spaceJson, string source)
    {
        ArgumentNullException.ThrowIfNull(spaceJson);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var full = Path.GetFullPath(source);
        var root = JsonNode.Parse(spaceJson)?.AsObject() ?? throw new CliException("the transfer space JSON is not an object");
        var architecture = root["architecture"] as JsonObject;
        var hyperparameters = root["hyperparameters"] as JsonObject;
        if (root["fixed"] is not JsonObject fixedSettings)
        {
            fixedSettings = [];
            root["fixed"] = fixedSettings;
        }

        architecture?.Remove(Name(SpaceLabels.Backbone));
        fixedSettings.Remove(SpaceLabels.PretrainedWeights);
        fixedSettings.Remove(TransferBlueprint.PretrainedPackage);
        fixedSettings.Remove(Name(SpaceLabels.Backbone));
        string reason;
        int? channels = null;
        if (Directory.Exists(full))
        {
            var description = ModelPackage.ReadDescription(full);
            if (!File.Exists(Path.Combine(full, ModelPackage.WeightsFile)))
            {
                throw new CliException($"{Option} {full}: the package has no {ModelPackage.WeightsFile} (exported without weights?); export it again with safetensors");
            }

            var preprocessing = description.Preprocessing;
            fixedSettings[TransferBlueprint.PretrainedPackage] = full;
            channels = preprocessing.Channels;

            // The package's network learnt its features at its own input size: the trials keep it.
            if (preprocessing.Height == preprocessing.Width)
            {
                hyperparameters?.Remove(Name(SpaceLabels.InputResolution));
                fixedSettings[Name(SpaceLabels.InputResolution)] = preprocessing.Height;
            }

            var noCellHead = !HasFeatureMap(description.Architecture) && DropCellHead(root);
            reason = string.Create(CultureInfo.InvariantCulture,
                $"transfer: the backbone is the {description.Architecture.Kind} network of the package {full} ({description.ClassNames.Count} classes, {preprocessing.Channels} channel(s), {preprocessing.Height}x{preprocessing.Width})")
                + (noCellHead ? "; its network gives pooled features only, so the head is linear or MLP (a cell head needs a feature map)" : string.Empty);
        }
        else if (File.Exists(full))
        {
            var backbone = PretrainedBackbone.Identify(full);
            fixedSettings[Name(SpaceLabels.Backbone)] = backbone;
            fixedSettings[SpaceLabels.PretrainedWeights] = full;
            reason = $"transfer: {full} holds torchvision's {backbone}; the search explores the head and the fine-tuning schedule";
        }
        else
        {
            throw new CliException($"{Option} {full} does not exist; {HowToGetWeights}");
        }

        return (root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), reason, channels);
    }

    /// <summary>The package folder the stored space starts from, or null for a torchvision weights file.</summary>
    public static string? PackageOf(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.TryGetFixed(TransferBlueprint.PretrainedPackage, out var value) ? value.AsString() : null;
    }

    /// <summary>A package's network with its weights, for images of <paramref name="inputChannels"/> channels.</summary>
    public static nn.Module<Tensor, Tensor> LoadPackageNetwork(string folder, int inputChannels)
    {
        var description = ModelPackage.ReadDescription(folder);
        if (description.Architecture.InputChannels != inputChannels)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"the package {folder} takes {description.Architecture.InputChannels}-channel images and the data has {inputChannels} channel(s)"));
        }

        var model = description.Architecture.Build();
        try
        {
            ModuleWeights.Load(model, Path.Combine(folder, ModelPackage.WeightsFile));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Whether the package's network hands a transfer head its last feature map (torchvision backbones do; cell and macro networks pool first).</summary>
    private static bool HasFeatureMap(ModelArchitecture architecture) => architecture switch
    {
        BackboneArchitecture => true,
        TransferArchitecture transfer => HasFeatureMap(transfer.Base),
        _ => false,
    };

    /// <summary>Removes the cell head from the head choices (and the cell the space describes for it); true when there was one.</summary>
    private static bool DropCellHead(JsonObject root)
    {
        if (root["architecture"]?[Name(SpaceLabels.Head)]?["choices"] is not JsonArray choices
            || choices.FirstOrDefault(c => c?.GetValueKind() == JsonValueKind.String && c.GetValue<string>() == "cell") is not { } cell)
        {
            return false;
        }

        choices.Remove(cell);
        root.Remove("cell");
        return true;
    }

    private static string Name(string label) => label[(label.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
