using System.Text.Json.Nodes;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>
/// One exported case: the checker's verdict, AutoNet's outputs per batch, and the outputs by name per batch of
/// onnxruntime-node (<see cref="Runtime"/>, the independent check) and of ONNX Runtime for .NET (<see cref="InProcess"/>).
/// </summary>
public sealed record ParityResult(ParityCase Case, string Path, JsonObject Check,
    IReadOnlyList<(float[] Input, long[] Shape, float[] Logits, float[] Probabilities)> Expected,
    IReadOnlyList<IReadOnlyDictionary<string, (long[] Dims, float[] Data)>> Runtime,
    IReadOnlyList<IReadOnlyDictionary<string, (long[] Dims, float[] Data)>> InProcess);
