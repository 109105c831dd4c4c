using AutoNet.Data.Cache;
using AutoNet.Data.Drawing;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Experiments;
using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;
using AutoNet.Store;
using AutoNet.Torch;
using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Dashboard;

/// <summary>
/// Where a trial's network looked: the gradient of its predicted class's score with respect to each input pixel
/// (Simonyan et al. 2014's saliency), largest over the channels, lightly smoothed, drawn in red over the test image as
/// the network saw it. The network is rebuilt from the trial's checkpoint in the workspace (read, never written); a few
/// are kept, each used by one request at a time.
/// </summary>
internal sealed class SaliencyMaps : IDisposable
{
    private const int Kept = 4;
    private readonly string _workspace;
    private readonly TestImages _images;
    private readonly object _gate = new();
    private readonly LinkedList<(long TrialId, nn.Module<Tensor, Tensor> Model, object Lock)> _models = new();
    private bool _disposed;

    public SaliencyMaps(string workspace, TestImages images)
    {
        _workspace = Path.GetFullPath(workspace);
        _images = images;
    }

    public byte[] Png(Experiment experiment, Trial trial, int index)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trial);
        var (cache, pixels) = _images.Read(experiment, trial, index);
        var (model, modelLock) = ModelOf(experiment, trial, cache);
        float[] heat;
        lock (modelLock)
        {
            heat = Gradients(model, cache, pixels);
        }

        return PngWriter.Encode(Overlay(pixels, heat, cache.Channels), cache.Width, cache.Height, 3);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var (_, model, modelLock) in _models)
            {
                lock (modelLock)
                {
                    model.Dispose();
                }
            }

            _models.Clear();
        }
    }

    private static float[] Gradients(nn.Module<Tensor, Tensor> model, DecodedCache cache, byte[] hwc)
    {
        using var scope = NewDisposeScope();
        using var enabled = enable_grad();
        var (channels, height, width) = (cache.Channels, cache.Height, cache.Width);
        var chw = new float[hwc.Length];
        for (var p = 0; p < height * width; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                // As training normalised it: pixel / 255, minus the cache's mean, over its standard deviation.
                chw[(c * height * width) + p] = (float)(((hwc[(p * channels) + c] / 255.0) - cache.Mean[c]) / cache.Std[c]);
            }
        }

        var input = tensor(chw, [1, channels, height, width]).requires_grad_(true);
        var logits = model.forward(input);
        var predicted = logits.argmax(1).item<long>();
        logits[0, predicted].backward();
        var magnitude = input.grad!.abs().amax([1], keepdim: true);
        var smooth = nn.functional.avg_pool2d(magnitude, 3, stride: 1, padding: 1);
        var peak = smooth.max().item<float>();
        using var peakScalar = peak.ToScalar();
        var scaled = peak > 0 ? smooth.div(peakScalar) : smooth;
        return scaled.flatten().data<float>().ToArray();
    }

    private static byte[] Overlay(byte[] hwc, float[] heat, int channels)
    {
        var rgb = new byte[heat.Length * 3];
        for (var p = 0; p < heat.Length; p++)
        {
            double grey = 0;
            for (var c = 0; c < channels; c++)
            {
                grey += hwc[(p * channels) + c];
            }

            var dimmed = 0.55 * grey / channels;
            var h = Math.Clamp(heat[p], 0f, 1f);
            rgb[(p * 3) + 0] = (byte)Math.Round(dimmed + (h * (255 - dimmed)));
            rgb[(p * 3) + 1] = (byte)Math.Round(dimmed * (1 - (0.7 * h)));
            rgb[(p * 3) + 2] = (byte)Math.Round(dimmed * (1 - h));
        }

        return rgb;
    }

    private (nn.Module<Tensor, Tensor> Model, object Lock) ModelOf(Experiment experiment, Trial trial, DecodedCache cache)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var node = _models.First; node is not null; node = node.Next)
            {
                if (node.Value.TrialId == trial.Id)
                {
                    _models.Remove(node);
                    _models.AddFirst(node);
                    return (node.Value.Model, node.Value.Lock);
                }
            }
        }

        var model = Build(experiment, trial, cache);
        lock (_gate)
        {
            if (_disposed)
            {
                model.Dispose();
                throw new ObjectDisposedException(nameof(SaliencyMaps));
            }

            var entry = (trial.Id, model, new object());
            _models.AddFirst(entry);
            while (_models.Count > Kept)
            {
                var (_, old, oldLock) = _models.Last!.Value;
                _models.RemoveLast();
                lock (oldLock)
                {
                    old.Dispose();
                }
            }

            return (model, entry.Item3);
        }
    }

    private nn.Module<Tensor, Tensor> Build(Experiment experiment, Trial trial, DecodedCache cache)
    {
        var checkpoint = Path.Join(TrialRequestFactory.TrialDirectory(_workspace, experiment.Name, trial.Number), "checkpoint");
        if (!TrainingCheckpoint.Exists(checkpoint))
        {
            throw new DashboardNotFoundException(
                $"trial {trial.Number} of '{experiment.Name}' has no checkpoint in the workspace '{_workspace}', so its saliency cannot be computed " +
                "(it never finished an epoch here, or was trained on another machine)");
        }

        TorchEngine.Initialize();
        var space = new SearchSpaceReader().Parse(experiment.SearchSpaceJson, $"experiment '{experiment.Name}' space");
        var plan = SearchPlan.FromJson(experiment.BudgetJson);
        TrialBlueprint blueprint;
        try
        {
            blueprint = TrialBlueprint.FromSample(space, SearchSample.FromJson(trial.HyperparametersJson), cache.Channels, cache.ClassNames.Count,
                TrialRequestFactory.TrialSeed(experiment.Seed, trial.Number), plan.Resolution, finalTraining: trial.Role == TrialRole.Final);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FileNotFoundException)
        {
            // A transfer trial needs its pretrained backbone's file, which the dashboard does not look for.
            throw new DashboardNotFoundException($"trial {trial.Number}'s network cannot be rebuilt here: {e.Message}", e);
        }

        var model = blueprint.BuildModel();
        try
        {
            TrainingCheckpoint.LoadWeights(checkpoint, model);
            model.eval();
            foreach (var parameter in model.parameters())
            {
                parameter.requires_grad = false;
            }

            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
