using AutoNet.Data.Loading;
using AutoNet.Torch.Modules;
using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.OneShot;

/// <summary>
/// A weight-sharing one-shot supernet in the manner of SPOS (Guo et al. 2020, "Single Path One-Shot Neural Architecture
/// Search with Uniform Sampling"): the caller samples one path (one network of the space) per step, uniformly, and
/// <see cref="TrainStep"/> trains that network's share of <see cref="Weights"/> on the next batch; afterwards
/// <see cref="Evaluate"/> judges any network of the space with the shared weights, after recalibrating its batch-norm
/// statistics on training images (the shared training mixes every path's statistics, which fit none of them). The
/// supernet never builds networks itself: the scheduling layer knows the space and hands it each path built.
/// </summary>
public sealed class Supernet : IDisposable
{
    private readonly TrialData data;
    private readonly SupernetOptions options;
    private readonly EpochBatches batches;
    private readonly Tensor recalibrationImages;
    private readonly Tensor recalibrationLabels;
    private IEnumerator<Batch>? epochBatches;
    private int epoch;

    /// <param name="data">
    /// the training images paths train on, and the validation images networks are judged on (pass a stratified part
    /// of a large validation split: hundreds of networks are judged)
    /// </param>
    /// <param name="options">the recipe; see <see cref="SupernetOptions"/></param>
    public Supernet(TrialData data, SupernetOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        data.Validate();
        options.Validate();
        this.data = data;
        this.options = options;
        batches = new EpochBatches(data, new TrainingHyperparameters
        {
            BatchSize = options.BatchSize,
            AugmentStrength = options.AugmentStrength,
            Seed = options.Seed,
        }, torch.CPU, channelsLast: false);

        using var generator = new Generator(unchecked((ulong)options.Seed));
        var count = data.TrainImages.shape[0];
        using var order = torch.randperm(count, generator: generator);
        using var chosen = order.narrow(0, 0, Math.Min(count, options.RecalibrationImages));
        recalibrationImages = data.TrainImages.index_select(0, chosen).DetachFromDisposeScope();
        recalibrationLabels = data.TrainLabels.index_select(0, chosen).DetachFromDisposeScope();
    }

    public SharedWeights Weights { get; } = new();

    /// <summary>Training steps taken (one path, one batch each).</summary>
    public long Steps { get; private set; }

    /// <summary>Training batches in one pass over the training images.</summary>
    public int StepsPerEpoch => batches.StepsPerEpoch;

    /// <summary>
    /// Trains <paramref name="path"/>'s share of the weights on the next training batch (at <paramref name="resolution"/>
    /// pixels square) with <paramref name="learningRate"/>; returns the batch's loss (NaN or infinite: the step was skipped).
    /// </summary>
    public double TrainStep(nn.Module<Tensor, Tensor> path, double learningRate, int resolution)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var batch = NextBatch();
        using var scope = torch.NewDisposeScope();
        var bound = Weights.Load(path);
        path.train();
        var logits = path.forward(Resized(batch.Images, resolution));
        var loss = batch.CrossEntropy(logits, options.LabelSmoothing);
        var lossValue = (double)loss.item<float>();
        Steps++;
        if (!double.IsFinite(lossValue))
        {
            return lossValue;
        }

        path.zero_grad();
        loss.backward();
        if (options.GradientClipNorm > 0)
        {
            nn.utils.clip_grad_norm_(path.parameters().Where(p => p.requires_grad), options.GradientClipNorm);
        }

        Weights.Step(bound, learningRate, options.Momentum, options.WeightDecay);
        return lossValue;
    }

    /// <summary>
    /// The validation accuracy of <paramref name="network"/> with the shared weights: its batch norms first average
    /// the statistics of the recalibration images (a fresh network's running statistics are replaced, not blended),
    /// then every validation image is classified once, without test-time flips.
    /// </summary>
    public double Evaluate(nn.Module<Tensor, Tensor> network, int resolution)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var noGrad = torch.no_grad();
        Weights.Load(network, register: false);
        Recalibrate(network, resolution);
        network.eval();
        var count = data.ValidationImages.shape[0];
        long hits = 0;
        for (long start = 0; start < count; start += options.EvaluationBatchSize)
        {
            using var scope = torch.NewDisposeScope();
            var length = Math.Min(options.EvaluationBatchSize, count - start);
            var images = Normalised(data.ValidationImages.narrow(0, start, length), resolution);
            var predicted = network.forward(images).argmax(1);
            hits += predicted.eq(data.ValidationLabels.narrow(0, start, length)).sum().item<long>();
        }

        return (double)hits / count;
    }

    public void Dispose()
    {
        epochBatches?.Dispose();
        Weights.Dispose();
        recalibrationImages.Dispose();
        recalibrationLabels.Dispose();
    }

    private void Recalibrate(nn.Module<Tensor, Tensor> network, int resolution)
    {
        var norms = network.modules().OfType<FreezableBatchNorm2d>().ToArray();
        foreach (var norm in norms)
        {
            norm.reset_running_stats();
            norm.momentum = 0; // a cumulative average over the recalibration batches
        }

        if (norms.Length == 0)
        {
            return;
        }

        // Only batch norm runs as in training: dropout stays off, so judging draws nothing from torch's generator.
        network.eval();
        foreach (var norm in norms)
        {
            norm.train();
        }

        var count = recalibrationImages.shape[0];
        for (long start = 0; start + 1 < count; start += options.EvaluationBatchSize)
        {
            using var scope = torch.NewDisposeScope();
            // Batch norm needs two or more images in a batch; a lone last one is left out.
            var length = Math.Min(options.EvaluationBatchSize, count - start);
            if (length < 2)
            {
                break;
            }

            network.forward(Normalised(recalibrationImages.narrow(0, start, length), resolution));
        }
    }

    private Batch NextBatch()
    {
        while (true)
        {
            epochBatches ??= batches.Train(++epoch, CancellationToken.None).GetEnumerator();
            if (epochBatches.MoveNext())
            {
                return epochBatches.Current;
            }

            epochBatches.Dispose();
            epochBatches = null;
        }
    }

    private Tensor Normalised(Tensor images, int resolution)
    {
        var channels = images.shape[1];
        using var mean = torch.tensor(data.Mean.Select(m => (float)m).ToArray()).view(1, channels, 1, 1);
        using var std = torch.tensor(data.Std.Select(s => (float)s).ToArray()).view(1, channels, 1, 1);
        return Resized(images.to_type(ScalarType.Float32).div_(HeldScalars.ByteMax).sub_(mean).div_(std), resolution);
    }

    private static Tensor Resized(Tensor images, int resolution) =>
        images.shape[2] == resolution && images.shape[3] == resolution
            ? images
            : nn.functional.interpolate(images, [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false);
}
