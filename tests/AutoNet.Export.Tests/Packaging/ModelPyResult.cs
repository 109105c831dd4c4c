using System.Text.Json.Nodes;
using AutoNet.Export.Tests.Onnx;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>One packaged case: AutoNet's outputs and what the package's model.py computed under /usr/bin/python3.</summary>
public sealed record ModelPyResult(ParityCase Case, JsonObject Reply, float[] Logits, float[] Probabilities, float[] Features, float[] Normalized,
    IReadOnlyDictionary<string, (long[] Dims, float[] Data)> Python);
