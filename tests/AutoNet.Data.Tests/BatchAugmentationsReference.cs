using System.Text.Json.Nodes;
using AutoNet.Data.Augmentation;
using AutoNet.Data.Loading;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Data.Tests;

/// <summary>
/// One seeded input batch and one set of explicit augmentation parameters, sent once to torchvision
/// (Reference/augment_reference.py); the tests compare AutoNet's ops on the same input with its replies.
/// </summary>
public sealed class BatchAugmentationsReference : IDisposable
{
    public const int Batch = 6;
    public const int Channels = 3;
    public const int Height = 10;
    public const int Width = 12;
    public const int Classes = 5;
    public const int Padding = 3;

    private readonly Dictionary<string, Tensor> expected = new();

    public BatchAugmentationsReference()
    {
        var random = new AugmentRandom(20261123);
        var pixels = new byte[Batch * Channels * Height * Width];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.NextInt(256);
        }

        Images = torch.tensor(pixels, [Batch, Channels, Height, Width]).DetachFromDisposeScope();
        Flip = [true, false, true, true, false, false];
        Offsets = [(0, 0), (6, 6), (3, 3), (0, 6), (6, 0), (2, 5)];
        ResizedBoxes =
        [
            new AugmentBox(0, 0, 10, 12), new AugmentBox(2, 3, 5, 7), new AugmentBox(1, 0, 9, 4),
            new AugmentBox(4, 5, 3, 3), new AugmentBox(0, 9, 10, 3), new AugmentBox(3, 2, 7, 10),
        ];
        EraseBoxes =
        [
            new AugmentBox(0, 0, 4, 4), AugmentBox.Empty, new AugmentBox(6, 8, 4, 4),
            new AugmentBox(2, 3, 1, 9), new AugmentBox(0, 0, 10, 12), new AugmentBox(5, 5, 2, 2),
        ];
        Mean = [0.485, 0.456, 0.406];
        Std = [0.229, 0.224, 0.225];
        Permutation = [3, 0, 5, 1, 2, 4];
        Lambda = 0.3125;
        CutMixBox = new AugmentBox(2, 4, 5, 6);
        var logits = new float[Batch * Classes];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)random.Normal();
        }

        Logits = torch.tensor(logits, [Batch, Classes]).DetachFromDisposeScope();
        LabelsA = torch.tensor(new long[] { 0, 4, 2, 2, 1, 3 }).DetachFromDisposeScope();
        LabelsB = torch.tensor(new long[] { 1, 4, 0, 3, 3, 2 }).DetachFromDisposeScope();
        var weight = new float[Channels * Height * Width * Classes];
        for (var i = 0; i < weight.Length; i++)
        {
            weight[i] = (float)(random.Normal() * 0.05);
        }

        TtaWeight = torch.tensor(weight, [Channels * Height * Width, Classes]).DetachFromDisposeScope();

        var request = new JsonObject
        {
            ["images"] = PythonReference.Encode(Images),
            ["flip"] = new JsonArray(Flip.Select(f => (JsonNode)f).ToArray()),
            ["padding"] = Padding,
            ["offsets"] = new JsonArray(Offsets.Select(o => (JsonNode)new JsonArray(o.Top, o.Left)).ToArray()),
            ["resized_boxes"] = Boxes(ResizedBoxes),
            ["erase_boxes"] = Boxes(EraseBoxes),
            ["mean"] = new JsonArray(Mean.Select(m => (JsonNode)m).ToArray()),
            ["std"] = new JsonArray(Std.Select(s => (JsonNode)s).ToArray()),
            ["permutation"] = new JsonArray(Permutation.Select(p => (JsonNode)p).ToArray()),
            ["lambda"] = Lambda,
            ["cutmix_box"] = new JsonArray(CutMixBox.Top, CutMixBox.Left, CutMixBox.Height, CutMixBox.Width),
            ["logits"] = PythonReference.Encode(Logits),
            ["labels_a"] = PythonReference.Encode(LabelsA),
            ["labels_b"] = PythonReference.Encode(LabelsB),
            ["tta_weight"] = PythonReference.Encode(TtaWeight),
        };
        var reply = PythonReference.Run("augment_reference.py", request).AsObject();
        foreach (var (name, node) in reply)
        {
            expected[name] = PythonReference.Decode(node!).DetachFromDisposeScope();
        }
    }

    public Tensor Images { get; }

    public bool[] Flip { get; }

    public (int Top, int Left)[] Offsets { get; }

    public AugmentBox[] ResizedBoxes { get; }

    public AugmentBox[] EraseBoxes { get; }

    public double[] Mean { get; }

    public double[] Std { get; }

    public int[] Permutation { get; }

    public double Lambda { get; }

    public AugmentBox CutMixBox { get; }

    public Tensor Logits { get; }

    public Tensor LabelsA { get; }

    public Tensor LabelsB { get; }

    public Tensor TtaWeight { get; }

    public Tensor Expected(string name) => expected[name];

    public void Dispose()
    {
        foreach (var tensor in expected.Values)
        {
            tensor.Dispose();
        }

        Images.Dispose();
        Logits.Dispose();
        LabelsA.Dispose();
        LabelsB.Dispose();
        TtaWeight.Dispose();
    }

    /// <summary>Largest absolute difference, after checking shape and dtype match.</summary>
    public static double MaxDifference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        using var a = actual.to(ScalarType.Float64);
        using var e = expected.to(ScalarType.Float64);
        using var diff = (a - e).abs();
        using var max = diff.max();
        return max.item<double>();
    }

    private static JsonArray Boxes(IEnumerable<AugmentBox> boxes) =>
        new(boxes.Select(b => (JsonNode)new JsonArray(b.Top, b.Left, b.Height, b.Width)).ToArray());
}
