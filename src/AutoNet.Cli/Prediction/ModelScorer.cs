using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Prediction;

/// <summary>Runs a classifier over uint8 [N, C, H, W] pixels in batches and returns softmax probabilities, row-major.</summary>
public static class ModelScorer
{
    public const int DefaultBatchSize = 64;

    /// <summary>
    /// Normalises each batch with <paramref name="reader"/>, runs <paramref name="model"/> (in eval mode, without
    /// gradients) on <paramref name="device"/> and returns N × classes float32 probabilities on the CPU.
    /// </summary>
    public static float[] Probabilities(nn.Module<Tensor, Tensor> model, PackageImageReader reader, Tensor pixels, Device device, int batchSize = DefaultBatchSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var count = pixels.shape[0];
        model.eval();
        using var noGrad = torch.no_grad();
        var rows = new List<float[]>();
        for (long start = 0; start < count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var batch = pixels.narrow(0, start, Math.Min(batchSize, count - start)).to(device);
            var logits = model.forward(reader.Normalize(batch));
            var shape = logits.shape;
            if (shape.Length != 2)
            {
                throw new InvalidOperationException($"the model returned [{string.Join(", ", shape)}], expected [batch, classes] logits");
            }

            rows.Add(nn.functional.softmax(logits.to(ScalarType.Float32), 1).cpu().contiguous().data<float>().ToArray());
        }

        return rows.SelectMany(r => r).ToArray();
    }
}
