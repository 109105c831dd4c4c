using AutoNet.Data.Decoding;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// Predicts the classes of image files with a packaged model: reads them in chunks on several threads with
/// <see cref="PackageImageReader"/>, scores each chunk with <see cref="ModelScorer"/>, and reports files that cannot
/// be read or decoded instead of stopping.
/// </summary>
public static class Predictor
{
    private const int ChunkImages = 256;

    public static PredictionReport Predict(nn.Module<Tensor, Tensor> model, PackageImageReader reader, IReadOnlyList<string> classNames, IReadOnlyList<string> paths,
        int topK, Device device, int threads, string modelName, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var k = classNames.Count;
        var predictions = new List<ImagePrediction>();
        var failures = new List<PredictionFailure>();
        var probabilities = new List<float>();
        for (var start = 0; start < paths.Count; start += ChunkImages)
        {
            var chunk = paths.Skip(start).Take(ChunkImages).ToArray();
            var pixels = new byte[chunk.Length * reader.ImageBytes];
            var errors = new string?[chunk.Length];
            Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, i =>
            {
                try
                {
                    reader.Read(chunk[i], pixels.AsSpan(i * reader.ImageBytes, reader.ImageBytes));
                }
                catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
                {
                    errors[i] = e.Message;
                }
            });

            var good = Enumerable.Range(0, chunk.Length).Where(i => errors[i] is null).ToArray();
            failures.AddRange(Enumerable.Range(0, chunk.Length).Where(i => errors[i] is not null).Select(i => new PredictionFailure(chunk[i], errors[i]!)));
            if (good.Length == 0)
            {
                continue;
            }

            var packed = new byte[good.Length * reader.ImageBytes];
            for (var j = 0; j < good.Length; j++)
            {
                pixels.AsSpan(good[j] * reader.ImageBytes, reader.ImageBytes).CopyTo(packed.AsSpan(j * reader.ImageBytes));
            }

            float[] scores;
            using (var tensor = torch.tensor(packed, [good.Length, reader.Preprocessing.Channels, reader.Preprocessing.Height, reader.Preprocessing.Width]))
            {
                scores = ModelScorer.Probabilities(model, reader, tensor, device, cancellationToken: cancellationToken);
            }

            if (scores.Length != good.Length * k)
            {
                throw new InvalidOperationException($"the model gives {scores.Length / good.Length} outputs per image, its package names {k} classes");
            }

            for (var j = 0; j < good.Length; j++)
            {
                predictions.Add(new ImagePrediction(chunk[good[j]], Top(scores.AsSpan(j * k, k), classNames, topK)));
            }

            probabilities.AddRange(scores);
        }

        return new PredictionReport(modelName, sourceName, classNames, predictions, failures) { Probabilities = [.. probabilities] };
    }

    /// <summary>The <paramref name="topK"/> most probable classes (all of them when fewer), ties to the lower index.</summary>
    public static IReadOnlyList<PredictedClass> Top(ReadOnlySpan<float> probabilities, IReadOnlyList<string> classNames, int topK)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var order = Enumerable.Range(0, probabilities.Length).ToArray();
        var values = probabilities.ToArray();
        var sorted = order.OrderByDescending(i => values[i]).ThenBy(i => i).Take(topK).ToArray();
        return sorted.Select((index, rank) => new PredictedClass(rank + 1, classNames[index], index, values[index])).ToArray();
    }
}
