using AutoNet.Export.Onnx;

namespace AutoNet.Export.Packaging;

/// <summary>The contents of a package's model.json: how to rebuild the network, feed it and name its outputs.</summary>
public sealed record ModelPackageDescription(
    ModelArchitecture Architecture,
    OnnxPreprocessing Preprocessing,
    IReadOnlyList<string> ClassNames,
    ModelCard? Card,
    string AutoNetVersion,
    DateTimeOffset? CreatedUtc);
