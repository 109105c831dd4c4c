using System.Diagnostics;
using System.Globalization;
using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Training;
using AutoNet.Torch.Scalars;
using AutoNet.Training.Proxies;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// Scores search points with a zero-cost proxy on the experiment's own images: one stratified, seeded mini-batch of
/// the training split, normalised as the trainer does, resized when a point searches another input resolution. A
/// point the complexity guard would reject, or whose network cannot be built, gets no score. Every network starts
/// from the same seeded weights, so a point's score depends on the point alone.
/// </summary>
public sealed class ZeroCostScorer : IArchitectureScorer, IDisposable
{
    public const int DefaultBatchSize = 64;

    private readonly SearchSpace space;
    private readonly ComplexityGuard guard;
    private readonly long seed;
    private readonly int defaultResolution;
    private readonly Tensor batch;
    private readonly Dictionary<int, Tensor> resized = [];
    private readonly Stopwatch clock = new();

    /// <param name="space">the space points come from</param>
    /// <param name="guard">the bounds trials are held to</param>
    /// <param name="data">the training split the batch is drawn from, at <paramref name="defaultResolution"/></param>
    /// <param name="proxy">which proxy scores</param>
    /// <param name="seed">picks the batch and the weights</param>
    /// <param name="defaultResolution">the resolution of <paramref name="data"/>, where a point searches none</param>
    /// <param name="batchSize">images in the batch (NASWOT's kernel is batch × batch)</param>
    public ZeroCostScorer(SearchSpace space, ComplexityGuard guard, TrialData data, ZeroCostProxy proxy, long seed, int defaultResolution,
        int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        this.space = space;
        this.guard = guard;
        this.seed = seed;
        this.defaultResolution = defaultResolution;
        Kind = proxy;
        batch = Normalised(data, batchSize, seed);
    }

    /// <summary>The proxy a search's proxy strategy scores with (see experiments/proxies for how it was chosen).</summary>
    public const ZeroCostProxy SearchProxy = ZeroCostProxy.Naswot;

    public ZeroCostProxy Kind { get; }

    /// <summary>
    /// The scorer of a search's proxy strategy over <paramref name="data"/>'s training images at the plan's resolution,
    /// telling <paramref name="observer"/> how the warm-up goes.
    /// </summary>
    public static ZeroCostScorer For(ExperimentData data, SearchSpace space, ComplexityGuard guard, long seed, ISearchObserver observer)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(observer);
        var name = ZeroCostProxies.Name(SearchProxy);
        return new ZeroCostScorer(space, guard, data.TrialData(data.Plan.Resolution), SearchProxy, seed, data.Plan.Resolution)
        {
            Progress = (count, elapsed) => observer.Note(string.Create(CultureInfo.InvariantCulture,
                $"proxy warm-up: {count} networks scored by {name} in {elapsed.TotalSeconds:F0} s ({elapsed.TotalMilliseconds / count:F0} ms each)")),
        };
    }

    /// <summary>
    /// How many random points the proxy strategy scores before its first trial: about a twentieth of a time budget at
    /// the tens of milliseconds a small network takes here, or 25 per trial of a trial budget, between 100 and 1,000
    /// either way; 500 under an epoch budget alone. The same plan gives the same number, so a resumed or repeated
    /// search draws the same pool.
    /// </summary>
    public static int PoolSize(SearchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.WallTimeSeconds is { } seconds ? (int)Math.Clamp(seconds / 4, 100, 1000)
            : plan.MaxTrials is { } trials ? Math.Clamp(trials * 25, 100, 1000)
            : ProxySeededEvolution.DefaultPoolSize;
    }

    public string Proxy => ZeroCostProxies.Name(Kind);

    /// <summary>How many networks were built and scored (points the bounds reject are not), and the time spent on them.</summary>
    public (int Count, TimeSpan Elapsed) Spent => (Scored, clock.Elapsed);

    /// <summary>Called after every <see cref="ProgressEvery"/> scores with the count so far and the time spent.</summary>
    public Action<int, TimeSpan>? Progress { get; init; }

    public int ProgressEvery { get; init; } = 100;

    private int Scored { get; set; }

    public double? Score(SearchSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (guard.Check(sample, out _) is not null)
        {
            return null;
        }

        clock.Start();
        try
        {
            var blueprint = TrialBlueprint.FromSample(space, sample, guard.InputChannels, guard.NumClasses, seed, defaultResolution);
            // No drop-path: NASWOT runs in training mode, where it would drop paths at random and draw from torch's generator.
            nn.Module<Tensor, Tensor> Build()
            {
                var model = blueprint.BuildModel();
                blueprint.SetDropPath?.Invoke(model, 0);
                return model;
            }

            return ZeroCostProxies.Score(Kind, Build, BatchAt(blueprint.Resolution), seed, blueprint.Complexity);
        }
        catch (ArgumentException)
        {
            // A network that cannot be built for this input: the trial would fail as an invalid configuration too.
            return null;
        }
        finally
        {
            clock.Stop();
            Scored++;
            if (Progress is { } progress && Scored % ProgressEvery == 0)
            {
                progress(Scored, clock.Elapsed);
            }
        }
    }

    public void Dispose()
    {
        batch.Dispose();
        foreach (var tensor in resized.Values)
        {
            tensor.Dispose();
        }

        resized.Clear();
    }

    private Tensor BatchAt(int resolution)
    {
        if (resolution == batch.shape[2] && resolution == batch.shape[3])
        {
            return batch;
        }

        if (!resized.TryGetValue(resolution, out var tensor))
        {
            tensor = nn.functional.interpolate(batch, [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false)
                .DetachFromDisposeScope();
            resized[resolution] = tensor;
        }

        return tensor;
    }

    private static Tensor Normalised(TrialData data, int batchSize, long seed)
    {
        using var scope = torch.NewDisposeScope();
        var positions = ExperimentData.StratifiedSubset(data.TrainLabels.data<long>().ToArray(), batchSize, seed);
        using var indices = torch.tensor(positions);
        var images = data.TrainImages.index_select(0, indices).to_type(ScalarType.Float32).div_(HeldScalars.ByteMax);
        var channels = images.shape[1];
        var mean = torch.tensor(data.Mean.Select(m => (float)m).ToArray()).view(1, channels, 1, 1);
        var std = torch.tensor(data.Std.Select(s => (float)s).ToArray()).view(1, channels, 1, 1);
        return images.sub_(mean).div_(std).MoveToOuterDisposeScope();
    }
}
