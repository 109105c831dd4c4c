using AutoNet.Models.Backbones;
using AutoNet.Models.Transfer;
using AutoNet.Search.Spaces;
using AutoNet.Training;

using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Trials;

/// <summary>
/// A transfer space's sample as a trial: the sampled (or fixed) backbone from <see cref="BackboneFactory"/> as a
/// feature extractor (no classifier; a grayscale data set gets its RGB stem adapted) with the pretrained weights file
/// the space names (torchvision's state dict as .pth or safetensors), the model package it names, or the caller's
/// trained network; a linear, MLP or searched-cell head; the frozen fraction; and the head-first fine-tuning schedule
/// in the hyperparameters. A missing weights file or package is refused here, before any trial runs, since nothing can
/// be downloaded.
/// </summary>
public static class TransferBlueprint
{
    /// <summary>The fixed setting naming an AutoNet model package folder whose network is the feature extractor.</summary>
    public const string PretrainedPackage = "pretrained_package";

    private const string BackbonePlaceholder = "{backbone}";

    internal static TrialBlueprint Create(SearchSpace space, SearchSample sample, int inputChannels, int numClasses, TrainingHyperparameters hyperparameters,
        int resolution, TransferSources sources)
    {
        var settings = SampleConversions.ToTransferSettings(space, sample);
        Func<nn.Module<Tensor, Tensor>> extractor;
        if (sources.Network is { } network)
        {
            extractor = network;
        }
        else if (space.TryGetFixed(PretrainedPackage, out var package))
        {
            var folder = PackagePath(space, package.AsString(), sources.WeightsFolder, sources.Locate);
            var loader = sources.PackageLoader
                ?? throw new ArgumentException($"the transfer space '{space.Name}' names the model package '{folder}', and no package loader was given to build it");
            extractor = () => loader(folder, inputChannels);
        }
        else
        {
            var backbone = settings.Backbone
                ?? throw new ArgumentException($"the transfer space '{space.Name}' chooses no '{SpaceLabels.Backbone}' and no trained network was given");

            var weights = WeightsPath(space, backbone, sources.WeightsFolder, sources.Locate);
            extractor = () =>
            {
                var model = BackboneFactory.Create(backbone, new BackboneOptions { NumClasses = 0, InChannels = inputChannels });
                try
                {
                    model.LoadWeights(weights, HeadWeights.Skip);
                    return model;
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
            };
        }

        return new TrialBlueprint(space.Kind, () => Build(extractor, settings.Head, numClasses, settings.FreezeFraction), hyperparameters, resolution, null);
    }

    /// <summary>The space's fixed <c>pretrained_weights</c> for <paramref name="backbone"/>, resolved and checked to exist.</summary>
    public static string WeightsPath(SearchSpace space, string backbone, string? folder, Func<string, string>? locate = null)
    {
        if (!space.TryGetFixed(SpaceLabels.PretrainedWeights, out var setting))
        {
            throw new ArgumentException(
                $"the transfer space '{space.Name}' has no fixed \"{SpaceLabels.PretrainedWeights}\" naming the pretrained weights file (e.g. \"pretrained/{BackbonePlaceholder}.safetensors\")");
        }

        var named = setting.AsString().Replace(BackbonePlaceholder, backbone, StringComparison.Ordinal);
        var path = Path.GetFullPath(Path.IsPathRooted(named) ? named : Path.Combine(folder ?? Directory.GetCurrentDirectory(), named));
        path = locate?.Invoke(path) ?? path;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"pretrained weights for {backbone} not found: '{path}' (the space's \"{SpaceLabels.PretrainedWeights}\" is \"{setting.AsString()}\"" +
                (Path.IsPathRooted(named) ? ")" : $", resolved against '{Path.GetFullPath(folder ?? Directory.GetCurrentDirectory())}')") +
                $". AutoNet downloads nothing: put torchvision's {backbone} state dict there (a .pth or safetensors with torchvision key names), e.g. on a machine " +
                $"with internet: torch.save(torchvision.models.{backbone}(weights=\"DEFAULT\").state_dict(), \"{backbone}.pth\"), " +
                "or point pretrained_weights at your own file.", path);
        }

        return path;
    }

    /// <summary>The package folder a space's <c>pretrained_package</c> names, resolved and checked to exist.</summary>
    public static string PackagePath(SearchSpace space, string named, string? folder, Func<string, string>? locate = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(named);
        var path = Path.GetFullPath(Path.IsPathRooted(named) ? named : Path.Combine(folder ?? Directory.GetCurrentDirectory(), named));
        path = locate?.Invoke(path) ?? path;
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException(
                $"the model package the transfer space '{space.Name}' starts from is not there: '{path}' (its \"{PretrainedPackage}\" is \"{named}\"); " +
                "export one with `autonet export` or point the space at another");
        }

        return path;
    }

    private static TransferNetwork Build(Func<nn.Module<Tensor, Tensor>> extractor, TransferHead head, int numClasses, double freezeFraction)
    {
        var module = extractor();
        try
        {
            return new TransferNetwork(FeatureExtractor.From(module), head, numClasses, freezeFraction);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }
}
