using System.Text.Json.Nodes;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>One exported case: the checker's verdict, AutoNet's outputs per batch and ONNX Runtime's outputs by name per batch.</summary>
public sealed record ParityResult(ParityCase Case, string Path, JsonObject Check,
    IReadOnlyList<(float[] Input, long[] Shape, float[] Logits, float[] Probabilities)> Expected,
    IReadOnlyList<IReadOnlyDictionary<string, (long[] Dims, float[] Data)>> Runtime);
