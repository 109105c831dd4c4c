using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Training;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// Turns a trial's cached uint8 splits into device batches: a seeded shuffle per epoch (epoch e's order depends
/// only on the seed and e, so a resumed trial sees the same batches), the last partial batch dropped in training
/// so batch norm never sees a lone sample, normalisation on the device; and evaluation passes in order.
/// </summary>
internal sealed class EpochBatches
{
    private readonly TrialData data;
    private readonly TrainingHyperparameters hyperparameters;
    private readonly Device device;
    private readonly bool channelsLast;
    private readonly float[] mean;
    private readonly float[] std;

    public EpochBatches(TrialData data, TrainingHyperparameters hyperparameters, Device device, bool channelsLast)
    {
        this.data = data;
        this.hyperparameters = hyperparameters;
        this.device = device;
        this.channelsLast = channelsLast;
        mean = data.Mean.Select(m => (float)m).ToArray();
        std = data.Std.Select(s => (float)s).ToArray();
        var count = data.TrainImages.Shape[0];
        BatchSize = (int)Math.Min(hyperparameters.BatchSize, count);
        StepsPerEpoch = (int)(count / BatchSize);
    }

    public int BatchSize { get; }

    public int StepsPerEpoch { get; }

    public IEnumerable<TrainingBatch> Train(int epoch, CancellationToken cancellationToken)
    {
        var order = Permutation(data.TrainImages.Shape[0], hyperparameters.Seed, epoch);
        for (var step = 0; step < StepsPerEpoch; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var index = Torch.FromArray(order.AsSpan(step * BatchSize, BatchSize), BatchSize);
            yield return Take(data.TrainImages, data.TrainLabels, index);
        }
    }

    public EvaluationPass Evaluate(Module model, Tensor images, Tensor labels, int batchSize, bool flip)
    {
        var count = images.Shape[0];
        var classes = data.ClassCount;
        var probabilities = new float[count * classes];
        var truth = labels.Cpu().ToArray<long>().Select(l => (int)l).ToArray();
        double lossSum = 0;
        var wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var noGrad = Torch.NoGrad();
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = Torch.NewDisposeScope();
                var size = Math.Min(batchSize, count - start);
                var batch = Normalise(images.Narrow(0, start, size));
                var batchLabels = labels.Narrow(0, start, size).To(device);
                var logits = model.Forward(batch);
                var probs = Functional.Softmax(logits, 1);
                if (flip)
                {
                    using var reversed = Torch.Arange(batch.Shape[3] - 1, -1, -1, ScalarType.Int64, device);
                    probs = probs.Add(Functional.Softmax(model.Forward(batch.IndexSelect(3, reversed)), 1)).Div(2);
                }

                // The loss of the (averaged) probabilities, so flip-averaged evaluation reports a consistent loss.
                lossSum += Functional.NllLoss(probs.Clamp(1e-12, 1).Log(), batchLabels, reduction: Reduction.Sum).Item<float>();
                probs.Cpu().Contiguous().ToArray<float>().CopyTo(probabilities, start * classes);
            }
        }
        finally
        {
            model.Train(wasTraining);
        }

        var (accuracy, top5) = Accuracy(probabilities, truth, classes);
        return new EvaluationPass(lossSum / count, accuracy, top5, probabilities, truth);
    }

    private TrainingBatch Take(Tensor images, Tensor labels, Tensor index)
    {
        using var scope = Torch.NewDisposeScope();
        var batch = Normalise(images.IndexSelect(0, index));
        var batchLabels = labels.IndexSelect(0, index).To(device);
        return new TrainingBatch(batch.MoveToOuterDisposeScope(), batchLabels.MoveToOuterDisposeScope());
    }

    private Tensor Normalise(Tensor uint8Images)
    {
        var channels = uint8Images.Shape[1];
        using var meanTensor = Torch.FromArray(mean, 1, channels, 1, 1).To(device);
        using var stdTensor = Torch.FromArray(std, 1, channels, 1, 1).To(device);
        var result = uint8Images.To(device).Float().Sub(meanTensor).Div(stdTensor);
        return channelsLast ? result.Contiguous(MemoryFormat.ChannelsLast) : result;
    }

    private static (double Accuracy, double? Top5) Accuracy(float[] probabilities, int[] labels, int classes)
    {
        long hits = 0, top5 = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var truth = row[labels[i]];
            var ahead = 0;
            var best = 0;
            for (var c = 0; c < classes; c++)
            {
                ahead += row[c] > truth || (row[c] == truth && c < labels[i]) ? 1 : 0;
                best = row[c] > row[best] ? c : best;
            }

            hits += best == labels[i] ? 1 : 0;
            top5 += ahead < 5 ? 1 : 0;
        }

        return ((double)hits / labels.Length, classes > 5 ? (double)top5 / labels.Length : null);
    }

    private static long[] Permutation(long count, long seed, int epoch)
    {
        // A permutation that depends only on (seed, epoch): Fisher–Yates over a generator seeded from both.
        var random = new Random(unchecked((int)Mix((ulong)seed, (ulong)epoch)));
        var order = new long[count];
        for (long i = 0; i < count; i++)
        {
            order[i] = i;
        }

        for (var i = count - 1; i > 0; i--)
        {
            var j = random.NextInt64(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    // SplitMix64's finaliser over (seed, epoch): stable across processes and runtimes, unlike HashCode.
    private static ulong Mix(ulong seed, ulong epoch)
    {
        var z = unchecked(seed + (0x9E3779B97F4A7C15UL * (epoch + 1)));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
