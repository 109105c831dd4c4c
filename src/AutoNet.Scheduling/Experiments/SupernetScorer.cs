using System.Diagnostics;
using System.Globalization;
using AutoNet.Scheduling.Trials;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Training;
using AutoNet.Training.OneShot;
using AutoNet.Training.Proxies;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// Scores search points with a weight-sharing supernet (SPOS, Guo et al. 2020): asked for its first score, it trains
/// the supernet by drawing one network of the space uniformly at random per batch (within the complexity bounds),
/// for its <see cref="SupernetBudget"/>; a point's score is then the validation accuracy of its network with the
/// shared weights, batch norm recalibrated. Every path starts its new weights from a seeded generator of the scorer's
/// own, so the same seed and the same number of steps give the same supernet.
/// </summary>
public sealed class SupernetScorer : IArchitectureScorer, IDisposable
{
    public const string ProxyName = "supernet";

    /// <summary>Validation images a network is judged on (a stratified part of the search's validation images).</summary>
    public const int DefaultEvaluationImages = 1_000;

    private const int TimedSteps = 10;

    private readonly SearchSpace space;
    private readonly ComplexityGuard guard;
    private readonly long seed;
    private readonly int defaultResolution;
    private readonly SupernetBudget budget;
    private readonly TrialData evaluationData;
    private readonly Supernet supernet;
    private readonly Stopwatch scoring = new();
    private bool trained;

    /// <param name="space">the space points and paths come from</param>
    /// <param name="guard">the bounds trials are held to; paths outside them are not trained</param>
    /// <param name="data">
    /// the search's training images (paths train on them) and validation images (a stratified
    /// <paramref name="evaluationImages"/> of them judge networks), at <paramref name="defaultResolution"/>
    /// </param>
    /// <param name="seed">seeds the paths, the batches and new weights</param>
    /// <param name="defaultResolution">the resolution of <paramref name="data"/>, where a point searches none</param>
    /// <param name="budget">how long the supernet trains before the first score</param>
    /// <param name="options">the supernet's recipe</param>
    /// <param name="evaluationImages">validation images a network is judged on</param>
    public SupernetScorer(SearchSpace space, ComplexityGuard guard, TrialData data, long seed, int defaultResolution, SupernetBudget budget,
        SupernetOptions? options = null, int evaluationImages = DefaultEvaluationImages)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluationImages, 1);
        if (space.Kind is not (SearchSpaceKind.Cell or SearchSpaceKind.Macro))
        {
            throw new ArgumentException($"a supernet shares weights among networks of a cell or macro space; '{space.Name}' is a {space.Kind.ToString().ToLowerInvariant()} space", nameof(space));
        }

        this.space = space;
        this.guard = guard;
        this.seed = seed;
        this.defaultResolution = defaultResolution;
        this.budget = budget;
        using (var indices = torch.tensor(ExperimentData.StratifiedSubset(data.ValidationLabels.data<long>().ToArray(),
            (int)Math.Min(evaluationImages, data.ValidationLabels.shape[0]), seed)))
        {
            evaluationData = data with
            {
                ValidationImages = data.ValidationImages.index_select(0, indices).DetachFromDisposeScope(),
                ValidationLabels = data.ValidationLabels.index_select(0, indices).DetachFromDisposeScope(),
            };
        }

        supernet = new Supernet(evaluationData, (options ?? new SupernetOptions()) with { Seed = seed });
    }

    /// <summary>
    /// The scorer of a one-shot search over the images its trials train on (the search subset when the plan has one),
    /// trained for the plan's <see cref="SupernetBudget"/>, telling <paramref name="observer"/> how training goes, and
    /// kept in <paramref name="weightsFile"/>.
    /// </summary>
    public static SupernetScorer For(ExperimentData data, SearchSpace space, ComplexityGuard guard, long seed, ISearchObserver observer, string? weightsFile)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(observer);
        var resolution = data.Plan.Resolution;
        var trialData = data.Plan.SearchTrainImages is { } images ? data.TrialData(resolution, images, seed) : data.TrialData(resolution);
        return new SupernetScorer(space, guard, trialData, seed, resolution, SupernetBudget.For(data.Plan))
        {
            Progress = observer.Note,
            WeightsFile = weightsFile,
        };
    }

    public string Proxy => ProxyName;

    /// <summary>Told how training and scoring go, in lines a person reads.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Training steps taken; networks judged and the time judging them took.</summary>
    public (long Steps, int Scored, TimeSpan Scoring) Spent => (supernet.Steps, Scored, scoring.Elapsed);

    /// <summary>The shared weights (for tests and reports).</summary>
    public SharedWeights Weights => supernet.Weights;

    private int Scored { get; set; }

    /// <summary>
    /// Where the trained supernet is kept (null: nowhere), so a search resumed after an interruption judges its later
    /// networks on the same supernet instead of training it again.
    /// </summary>
    public string? WeightsFile { get; init; }

    /// <summary>Trains the supernet for its budget, or reloads it from <see cref="WeightsFile"/>; the first <see cref="Score"/> calls it when nobody has.</summary>
    public void Train(CancellationToken cancellationToken = default)
    {
        if (trained)
        {
            return;
        }

        trained = true;
        var identity = string.Create(CultureInfo.InvariantCulture,
            $"'{space.Name}', seed {seed}, {evaluationData.TrainLabels.shape[0]} training images at {defaultResolution} px");
        if (WeightsFile is { } file)
        {
            if (supernet.Weights.TryLoad(file, identity, out var problem))
            {
                Progress?.Invoke($"one-shot: the supernet this search trained before it was interrupted is reloaded from {file}");
                return;
            }

            if (problem is not null)
            {
                Progress?.Invoke($"one-shot: training the supernet again: {problem}");
            }
        }

        TrainFor(cancellationToken);
        if (WeightsFile is { } target)
        {
            supernet.Weights.Save(target, identity);
        }
    }

    private void TrainFor(CancellationToken cancellationToken)
    {
        // Dropout in the paths draws from torch's generator; seeding it here (before any trial runs) makes the supernet repeatable.
        torch.manual_seed(seed);
        var clock = Stopwatch.StartNew();
        var random = new SearchRandom(unchecked(seed ^ 0x5EED_0F_5A7E));
        var learningRate = new SupernetOptions().LearningRate;
        long total = budget.Epochs is { } epochs ? Math.Max(1, (long)Math.Round(epochs * supernet.StepsPerEpoch)) : long.MaxValue;
        var lastNote = TimeSpan.Zero;
        Progress?.Invoke($"one-shot: training a weight-sharing supernet of {space.Name} for {budget}, one random network per batch of {supernet.StepsPerEpoch} per epoch");
        for (long step = 0; step < total; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (blueprint, model) = BuildPath(random, step);
            using (model)
            {
                // Cosine from the base rate to zero over the planned steps; a timed budget plans them once the first steps are timed.
                var rate = total == long.MaxValue ? learningRate : learningRate * 0.5 * (1 + Math.Cos(Math.PI * step / total));
                supernet.TrainStep(model, rate, blueprint.Resolution);
            }

            if (budget.Time is { } time && step + 1 == TimedSteps)
            {
                var perStep = clock.Elapsed / TimedSteps;
                total = Math.Max(TimedSteps + 1, (long)(time / perStep));
            }

            if (clock.Elapsed - lastNote >= TimeSpan.FromSeconds(30))
            {
                lastNote = clock.Elapsed;
                Progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"one-shot: {step + 1} of {total} supernet steps in {clock.Elapsed.TotalSeconds:F0} s ({supernet.Weights.ParameterCount:N0} shared weights)"));
            }
        }

        Progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"one-shot: supernet trained, {supernet.Steps} steps ({(double)supernet.Steps / supernet.StepsPerEpoch:F1} epochs) in {clock.Elapsed.TotalSeconds:F0} s, {supernet.Weights.Count} shared tensors"));
    }

    public double? Score(SearchSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (guard.Check(sample, out _) is not null)
        {
            return null;
        }

        Train();
        scoring.Start();
        try
        {
            var blueprint = TrialBlueprint.FromSample(space, sample, guard.InputChannels, guard.NumClasses, seed, defaultResolution);
            using var model = Built(blueprint, seed);
            return supernet.Evaluate(model, blueprint.Resolution);
        }
        catch (ArgumentException)
        {
            // A network that cannot be built for this input: the trial would fail as an invalid configuration too.
            return null;
        }
        finally
        {
            scoring.Stop();
            Scored++;
            if (Scored % 100 == 0)
            {
                Progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"one-shot: {Scored} networks judged on the supernet in {scoring.Elapsed.TotalSeconds:F0} s ({scoring.Elapsed.TotalMilliseconds / Scored:F0} ms each)"));
            }
        }
    }

    public void Dispose()
    {
        supernet.Dispose();
        evaluationData.ValidationImages.Dispose();
        evaluationData.ValidationLabels.Dispose();
    }

    /// <summary>A random network within the bounds (the space's uniform draw, redrawn when the bounds reject it).</summary>
    private (TrialBlueprint Blueprint, nn.Module<Tensor, Tensor> Model) BuildPath(SearchRandom random, long step)
    {
        const int attempts = 1000;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var sample = space.Sample(random);
            if (guard.Check(sample, out _) is not null)
            {
                continue;
            }

            try
            {
                var blueprint = TrialBlueprint.FromSample(space, sample, guard.InputChannels, guard.NumClasses, seed, defaultResolution);
                return (blueprint, Built(blueprint, unchecked(seed + step + 1)));
            }
            catch (ArgumentException)
            {
                // Not buildable for this input; the next draw.
            }
        }

        throw new InvalidOperationException(
            $"none of {attempts} random networks of '{space.Name}' fits the complexity bounds or builds for {defaultResolution}-pixel images; the supernet has no path to train");
    }

    private static nn.Module<Tensor, Tensor> Built(TrialBlueprint blueprint, long initialisationSeed)
    {
        var model = blueprint.BuildModel();
        blueprint.SetDropPath?.Invoke(model, 0);
        ProxyInitialization.Apply(model, initialisationSeed);
        return model;
    }
}
