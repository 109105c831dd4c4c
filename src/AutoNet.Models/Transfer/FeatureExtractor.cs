using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using static TorchSharp.torch;

namespace AutoNet.Models.Transfer;

/// <summary>
/// A network used as the feature extractor of a <see cref="TransferNetwork"/>: the module, how to get its pooled
/// features (and, where it can, its last feature map), their width, and its freezable stages from the input side.
/// <see cref="From"/> knows AutoNet's own networks — torchvision backbones, cell networks, macro-cnns and transfer networks, such as
/// a model exported by an earlier search — and <see cref="Custom"/> takes any other module.
/// Parameters in no stage (the old network's classifier) are never trained: they do not feed the features.
/// </summary>
public sealed class FeatureExtractor
{
    private FeatureExtractor(nn.Module<Tensor, Tensor> module, long featureDim, IReadOnlyList<BackboneStage> stages, Func<Tensor, Tensor> forwardFeatures,
        Func<Tensor, Tensor>? forwardFeatureMap)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(forwardFeatures);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureDim, 1);
        if (stages.Count == 0)
        {
            throw new ArgumentException("a feature extractor needs at least one stage (state-dict prefixes of its modules)", nameof(stages));
        }

        Module = module;
        FeatureDim = featureDim;
        Stages = stages;
        ForwardFeatures = forwardFeatures;
        ForwardFeatureMap = forwardFeatureMap;
    }

    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Width of the pooled features (and channels of the feature map).</summary>
    public long FeatureDim { get; }

    /// <summary>Freezable stages, input side first.</summary>
    public IReadOnlyList<BackboneStage> Stages { get; }

    /// <summary>Pooled features [N, <see cref="FeatureDim"/>].</summary>
    public Func<Tensor, Tensor> ForwardFeatures { get; }

    /// <summary>The last feature map [N, <see cref="FeatureDim"/>, H, W] before pooling; null where the network does not expose it.</summary>
    public Func<Tensor, Tensor>? ForwardFeatureMap { get; }

    /// <summary>
    /// The feature extractor of one of AutoNet's networks: a <see cref="Backbone"/> (its stages), a
    /// <see cref="CellNetwork"/> (stem, then each cell), a <see cref="MacroCnnNetwork"/> (each stage) or a
    /// <see cref="TransferNetwork"/> (its extractor's stages).
    /// </summary>
    public static FeatureExtractor From(nn.Module<Tensor, Tensor> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        switch (network)
        {
            case Backbone backbone:
                return new FeatureExtractor(backbone, backbone.FeatureDim, backbone.Stages, backbone.ForwardFeatures, backbone.ForwardFeatureMap);
            case CellNetwork cells:
            {
                var stages = new List<BackboneStage> { new("stem", ["stem"]) };
                stages.AddRange(Enumerable.Range(0, cells.Settings.CellCount).Select(i => new BackboneStage($"cell{i}", [$"cells.{i}"])));
                return new FeatureExtractor(cells, cells.FeatureCount, stages, cells.ForwardFeatures, null);
            }

            case MacroCnnNetwork macro:
            {
                var stages = Enumerable.Range(0, macro.Config.Stages.Count).Select(i => new BackboneStage($"stage{i + 1}", [$"stages.{i}"])).ToArray();
                return new FeatureExtractor(macro, macro.FeatureCount, stages, macro.ForwardFeatures, null);
            }

            case TransferNetwork transfer:
            {
                // A transfer network transferred again: its extractor's features and stages, under its "backbone" (its head goes unused).
                var inner = transfer.Features;
                var stages = inner.Stages.Select(s => new BackboneStage(s.Name, s.Prefixes.Select(p => "backbone." + p).ToArray())).ToArray();
                return new FeatureExtractor(transfer, inner.FeatureDim, stages, inner.ForwardFeatures, inner.ForwardFeatureMap);
            }

            default:
                throw new ArgumentException(
                    $"a {network.GetType().Name} is not one of AutoNet's networks (Backbone, CellNetwork, MacroCnnNetwork, TransferNetwork); " +
                    "describe it with FeatureExtractor.Custom (its feature function, width and stages)", nameof(network));
        }
    }

    /// <summary>Any module as a feature extractor: <paramref name="stages"/> name its modules by state-dict prefix, input side first.</summary>
    public static FeatureExtractor Custom(nn.Module<Tensor, Tensor> module, long featureDim, IReadOnlyList<BackboneStage> stages, Func<Tensor, Tensor> forwardFeatures,
        Func<Tensor, Tensor>? forwardFeatureMap = null) =>
        new(module, featureDim, stages, forwardFeatures, forwardFeatureMap);
}
