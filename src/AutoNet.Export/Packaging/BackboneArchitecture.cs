using System.Text.Json.Nodes;
using AutoNet.Models.Backbones;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Export.Packaging;

/// <summary>
/// A torchvision <see cref="Backbone"/> with its classifier head: registry name (<see cref="BackboneFactory.Names"/>) and
/// options. As a transfer network's feature extractor it may have no classifier (0 classes).
/// </summary>
public sealed record BackboneArchitecture(string Name, BackboneOptions Options) : ModelArchitecture
{
    public const string KindName = "backbone";

    public override string Kind => KindName;

    public override long InputChannels => Options.InChannels;

    public override long NumClasses => Options.NumClasses;

    public override nn.Module<Tensor, Tensor> Build() => BackboneFactory.Create(Name, Options);

    /// <summary>Recovers the options a built backbone was made with (dropout and stochastic depth only matter to training).</summary>
    /// <param name="backbone">the built backbone</param>
    /// <param name="allowNoClassifier">whether a backbone without classifier is fine (a transfer network's feature extractor)</param>
    public static BackboneArchitecture Of(Backbone backbone, bool allowNoClassifier = false)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        if (backbone.NumClasses < 1 && !allowNoClassifier)
        {
            throw new NotSupportedException(
                $"a {backbone.Architecture} built without a classifier (0 classes) is a feature extractor, not a classifier to package; put a head on it with TransferNetwork");
        }

        var dropout = backbone.modules().OfType<Dropout>().Select(d => (double?)d.p).FirstOrDefault();
        var blocks = backbone.modules().OfType<MBConv>().ToList();

        // EfficientNet gives block i of n the probability p * i / n: the last block's tells p.
        double? stochasticDepth = blocks.Count > 1 ? blocks[^1].StochasticDepthProb * blocks.Count / (blocks.Count - 1) : null;
        return new BackboneArchitecture(backbone.Architecture, new BackboneOptions
        {
            NumClasses = backbone.NumClasses,
            InChannels = backbone.InChannels,
            Dropout = dropout,
            StochasticDepthProb = stochasticDepth,
        });
    }

    private protected override IEnumerable<KeyValuePair<string, JsonNode?>> Fields()
    {
        yield return new("name", Name);
        yield return new("num_classes", Options.NumClasses);
        yield return new("in_channels", Options.InChannels);
        yield return new("dropout", Options.Dropout);
        yield return new("stochastic_depth_prob", Options.StochasticDepthProb);
    }

    internal static BackboneArchitecture Read(JsonObject json, JsonFields f, string path, bool allowNoClassifier = false)
    {
        var name = f.String(json, path, "name");
        if (!BackboneFactory.Contains(name))
        {
            throw f.Error(path + ".name", $"\"{name}\" is not a known backbone; expected one of {string.Join(", ", BackboneFactory.Names)}");
        }

        var numClasses = f.Integer(json, path, "num_classes");
        var inChannels = f.Integer(json, path, "in_channels");
        if (numClasses < (allowNoClassifier ? 0 : 1))
        {
            throw f.Error(path + ".num_classes", allowNoClassifier
                ? $"{numClasses}: expected 0 (a feature extractor without classifier) or more classes"
                : $"{numClasses}: a packaged backbone must have a classifier (at least 1 class)");
        }

        if (inChannels < 1)
        {
            throw f.Error(path + ".in_channels", $"{inChannels}: expected at least 1 input channel");
        }

        return new BackboneArchitecture(name, new BackboneOptions
        {
            NumClasses = numClasses,
            InChannels = inChannels,
            Dropout = f.OptionalNumber(json, path, "dropout"),
            StochasticDepthProb = f.OptionalNumber(json, path, "stochastic_depth_prob"),
        });
    }
}
