using AutoNet.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Proxies;

/// <summary>The zero-cost proxies by the names the command line and the store use, and the one place that scores a network.</summary>
public static class ZeroCostProxies
{
    /// <summary>Every proxy name, in the order reports list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["naswot", "synflow", "params", "flops"];

    public static string Name(ZeroCostProxy proxy) => proxy switch
    {
        ZeroCostProxy.Naswot => "naswot",
        ZeroCostProxy.Synflow => "synflow",
        ZeroCostProxy.Parameters => "params",
        ZeroCostProxy.Flops => "flops",
        _ => throw new ArgumentOutOfRangeException(nameof(proxy), proxy, "unknown proxy"),
    };

    public static ZeroCostProxy Parse(string name) => name switch
    {
        "naswot" => ZeroCostProxy.Naswot,
        "synflow" => ZeroCostProxy.Synflow,
        "params" => ZeroCostProxy.Parameters,
        "flops" => ZeroCostProxy.Flops,
        _ => throw new ArgumentException($"unknown zero-cost proxy '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>
    /// The <paramref name="proxy"/> score of the network <paramref name="build"/> makes (built here, scored, disposed):
    /// weights drawn from <paramref name="seed"/> with a generator of its own, so a score is the same whatever trains
    /// beside it. <paramref name="images"/> is one normalised float batch [N, C, H, W] at the network's resolution;
    /// NASWOT reads it, SynFlow only its shape. The size baselines are the natural log of the count in
    /// <paramref name="complexity"/>. Null when the network gives no score (no rectifier for NASWOT, no finite
    /// saliency for SynFlow).
    /// </summary>
    public static double? Score(ZeroCostProxy proxy, Func<nn.Module<Tensor, Tensor>> build, Tensor images, long seed, ModelComplexity? complexity)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(images);
        switch (proxy)
        {
            case ZeroCostProxy.Parameters:
                return complexity is { Parameters: > 0 } p ? Math.Log(p.Parameters) : null;
            case ZeroCostProxy.Flops:
                return complexity is { MultiplyAdds: > 0 } f ? Math.Log(f.MultiplyAdds) : null;
        }

        using var model = build();
        ProxyInitialization.Apply(model, seed);
        var score = proxy == ZeroCostProxy.Naswot
            ? NaswotScore.Compute(model, images)
            : SynflowScore.Compute(model, [.. images.shape.Skip(1)]);
        return double.IsFinite(score) ? score : null;
    }
}
