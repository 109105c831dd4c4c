using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Transfer;

/// <summary>
/// The penultimate output of any AutoNet classifier: the globally pooled features its classifier reads (before the
/// classifier's dropout). This is what a <see cref="TransferNetwork"/> builds on.
/// </summary>
public static class FeatureExtractor
{
    /// <summary>Whether <paramref name="model"/> is a network whose features this class can compute.</summary>
    public static bool Supports(Module model) => model is CellNetwork or MacroCnnNetwork or Backbone or TransferNetwork;

    /// <summary>The width of <see cref="ForwardFeatures"/>' vectors.</summary>
    public static long FeatureCount(Module model) => model switch
    {
        CellNetwork cell => cell.FeatureCount,
        MacroCnnNetwork macro => macro.FeatureCount,
        Backbone backbone => backbone.FeatureDim,
        TransferNetwork transfer => transfer.FeatureCount,
        _ => throw Unsupported(model),
    };

    /// <summary>[N, <see cref="FeatureCount"/>] features of <paramref name="input"/>.</summary>
    public static Tensor ForwardFeatures(Module model, Tensor input) => model switch
    {
        CellNetwork cell => cell.ForwardFeatures(input),
        MacroCnnNetwork macro => macro.ForwardFeatures(input),
        Backbone backbone => backbone.ForwardFeatures(input),
        TransferNetwork transfer => transfer.ForwardFeatures(input),
        _ => throw Unsupported(model),
    };

    private static NotSupportedException Unsupported(Module? model) => new(
        $"a {model?.GetType().Name ?? "null"} cannot serve as a backbone: expected a CellNetwork, MacroCnnNetwork, Backbone or TransferNetwork");
}
