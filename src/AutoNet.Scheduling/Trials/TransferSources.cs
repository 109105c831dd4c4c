
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Trials;

/// <summary>
/// Where a transfer trial's pretrained feature extractor comes from: torchvision-named safetensors files (the
/// space's fixed <c>pretrained_weights</c>, relative paths resolved against <see cref="WeightsFolder"/>), or a
/// network trained by an earlier AutoNet search (<see cref="Network"/>: a backbone, cell network or macro-cnn, e.g.
/// loaded from an exported model package), which then replaces the space's <c>backbone</c> choice.
/// </summary>
public sealed record TransferSources
{
    /// <summary>The folder relative <c>pretrained_weights</c> paths are resolved against (the experiment's folder).</summary>
    public string? WeightsFolder { get; init; }

    /// <summary>Builds a fresh copy of a trained network (weights loaded) to serve as the feature extractor; called once per trial build.</summary>
    public Func<nn.Module<Tensor, Tensor>>? Network { get; init; }
}
