using AutoNet.Data.Augmentation;
using AutoNet.Data.Loading;
using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>
/// A trial's batches, from the data layer's <see cref="BatchLoader"/>: training epochs shuffled and augmented by
/// (seed, epoch) alone — so a resumed trial sees the very batches it would have seen — the last partial batch
/// dropped so batch norm never sees a lone sample; evaluation passes in order, normalised only, optionally averaged
/// with the mirror image.
/// </summary>
internal sealed class EpochBatches
{
    private readonly TrialData data;
    private readonly Device device;
    private readonly bool channelsLast;
    private readonly BatchLoader train;
    private readonly BatchAugmenter normaliseOnly;

    public EpochBatches(TrialData data, TrainingHyperparameters hyperparameters, Device device, bool channelsLast)
    {
        this.data = data;
        this.device = device;
        this.channelsLast = channelsLast;
        var count = data.TrainImages.shape[0];
        BatchSize = (int)Math.Min(hyperparameters.BatchSize, count);
        var augmentation = AugmentationOptions.ForStrength(hyperparameters.AugmentStrength, data.AllowHorizontalFlip);
        train = new BatchLoader(data.TrainImages, data.TrainLabels, new LoaderOptions
        {
            BatchSize = BatchSize,
            Seed = hyperparameters.Seed,
            Shuffle = true,
            LastBatch = LastBatchPolicy.Drop,
            Device = device,
            ChannelsLast = channelsLast,
        }, new BatchAugmenter(augmentation, data.Mean, data.Std));
        normaliseOnly = new BatchAugmenter(AugmentationOptions.None, data.Mean, data.Std);
    }

    public int BatchSize { get; }

    public int StepsPerEpoch => train.BatchesPerEpoch;

    /// <summary>Epoch <paramref name="epoch"/> (1-based)'s training batches; each belongs to the caller.</summary>
    public IEnumerable<Batch> Train(int epoch, CancellationToken cancellationToken) => train.Epoch(epoch, cancellationToken);

    public EvaluationPass Evaluate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int batchSize, bool flip)
    {
        var count = images.shape[0];
        var classes = data.ClassCount;
        var probabilities = new float[count * classes];
        int[] truth;
        using (var cpuLabels = labels.cpu())
        {
            truth = cpuLabels.data<long>().Select(l => (int)l).ToArray();
        }

        var loader = new BatchLoader(images, labels, new LoaderOptions
        {
            BatchSize = batchSize,
            Shuffle = false,
            LastBatch = LastBatchPolicy.Keep,
            Device = device,
            ChannelsLast = channelsLast,
        }, normaliseOnly);
        double lossSum = 0;
        long start = 0;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var batch in loader.Evaluation())
            {
                using (batch)
                {
                    using var scope = torch.NewDisposeScope();
                    var probs = flip
                        ? TestTimeAugmentation.FlipAverage(model.forward, batch.Images)
                        : nn.functional.softmax(model.forward(batch.Images), 1);

                    // The loss of the (averaged) probabilities, so flip-averaged evaluation reports a consistent loss.
                    using var smallest = 1e-12.ToScalar();
                    lossSum += nn.functional.nll_loss(probs.clamp(smallest, HeldScalars.One).log(), batch.Labels, reduction: nn.Reduction.Sum).item<float>();
                    probs.cpu().contiguous().data<float>().ToArray().CopyTo(probabilities, start * classes);
                    start += batch.Count;
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        var (accuracy, top5) = Accuracy(probabilities, truth, classes);
        return new EvaluationPass(lossSum / count, accuracy, top5, probabilities, truth);
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
}
