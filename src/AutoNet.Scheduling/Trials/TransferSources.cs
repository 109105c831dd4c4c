using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Trials;

/// <summary>
/// Where a transfer trial's pretrained feature extractor comes from: torchvision-named weights files (the space's
/// fixed <c>pretrained_weights</c>, relative paths resolved against <see cref="WeightsFolder"/>), an AutoNet model
/// package (the space's fixed <c>pretrained_package</c>, built by <see cref="PackageLoader"/>), or a network trained
/// by an earlier AutoNet search (<see cref="Network"/>), which then replaces the space's <c>backbone</c> choice.
/// </summary>
public sealed record TransferSources
{
    /// <summary>The folder relative <c>pretrained_weights</c> paths are resolved against (the experiment's folder).</summary>
    public string? WeightsFolder { get; init; }

    /// <summary>Builds a fresh copy of a trained network (weights loaded) to serve as the feature extractor; called once per trial build.</summary>
    public Func<nn.Module<Tensor, Tensor>>? Network { get; init; }

    /// <summary>
    /// Builds the network of the model package folder given (weights loaded) for images of the given channel count,
    /// refusing a package made for other channels. Packages belong to the export layer above this one, so the caller
    /// (the CLI) supplies the loader; without it a space naming a package is refused.
    /// </summary>
    public Func<string, int, nn.Module<Tensor, Tensor>>? PackageLoader { get; init; }

    /// <summary>
    /// Maps the full path of the pretrained weights file or package folder the space names to where this machine has
    /// it; a machine of a PostgreSQL store that lacks it fetches the copy the store keeps (<c>Store.StoreInputShelf</c>).
    /// </summary>
    public Func<string, string>? Locate { get; init; }
}
