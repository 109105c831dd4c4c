using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Cli.Prediction;

using Torch = AutoNet.Torch.Torch;

/// <summary>Runs a classifier over uint8 [N, C, H, W] pixels in batches and returns softmax probabilities, row-major.</summary>
public static class ModelScorer
{
    public const int DefaultBatchSize = 64;

    /// <summary>
    /// Normalises each batch with <paramref name="reader"/>, runs <paramref name="model"/> (in eval mode, without
    /// gradients) on <paramref name="device"/> and returns N × classes float32 probabilities on the CPU.
    /// </summary>
    public static float[] Probabilities(Module model, PackageImageReader reader, Tensor pixels, Device device, int batchSize = DefaultBatchSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var count = pixels.Shape[0];
        model.Eval();
        using var noGrad = Torch.NoGrad();
        var rows = new List<float[]>();
        for (long start = 0; start < count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = Torch.NewDisposeScope();
            var batch = pixels.Narrow(0, start, Math.Min(batchSize, count - start)).To(device);
            var logits = model.Forward(reader.Normalize(batch));
            var shape = logits.Shape;
            if (shape.Length != 2)
            {
                throw new InvalidOperationException($"the model returned [{string.Join(", ", shape)}], expected [batch, classes] logits");
            }

            rows.Add(Functional.Softmax(logits.To(ScalarType.Float32), 1).To(Device.Cpu).Contiguous().ToArray<float>());
        }

        return rows.SelectMany(r => r).ToArray();
    }
}
