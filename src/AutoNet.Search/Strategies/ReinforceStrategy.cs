using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies.Reinforce;

namespace AutoNet.Search.Strategies;

/// <summary>
/// The NASNet/ENAS RL controller as a strategy: a <see cref="ReinforceController"/> (an LSTM policy trained with
/// REINFORCE) emits one choice per decision of the space, in <see cref="SearchSpace.Decisions"/> order, and is
/// rewarded with the validation accuracy told back.
/// <list type="bullet">
/// <item>Categorical decisions, and integer ranges of at most <see cref="MaxChoices"/> values, are emitted natively.
/// Float and log-float ranges (and larger integer ranges) are discretised into <see cref="Bins"/> equal bins (equal
/// in log space for log ranges), and a bin proposes its centre, so the controller searches a fixed grid of them.</item>
/// <item>Conditionals: the controller always emits the whole fixed-length sequence; a decision that is inactive given
/// the earlier choices is left out of the sample, and its choice is still part of the sequence the reward updates
/// (as ENAS does with the unused choices), so the sequence never changes shape.</item>
/// <item>A failed or rejected point (score null) is rewarded <see cref="FailureReward"/> (0, the worst accuracy), so
/// the controller learns to avoid what cannot be trained. A point it did not propose (a duplicate told twice, a
/// point from a resumed search) is encoded back into choices — each active value's index or bin, 0 for inactive
/// decisions — and learnt from as if it had proposed it.</item>
/// </list>
/// With <c>decisions</c>, only the decisions it selects are emitted; the others are drawn at random (a combined
/// strategy leaves the hyperparameters to TPE). The controller is a libtorch module: dispose the strategy.
/// </summary>
public sealed class ReinforceStrategy : ISearchStrategy, IDisposable
{
    public const int DefaultBins = 8;

    /// <summary>Integer ranges with more values than this are binned too.</summary>
    public const int MaxChoices = 64;

    private readonly DecisionCoding[] codings;
    private readonly ReinforceController controller;
    private readonly Dictionary<string, int[]> proposed = new(StringComparer.Ordinal);
    private SearchRandom random;

    public ReinforceStrategy(SearchSpace space, long seed, int bins = DefaultBins, double failureReward = 0,
        Func<SearchParameter, bool>? decisions = null, int hiddenSize = 64, double learningRate = 3.5e-4, double entropyWeight = 1e-4,
        double baselineDecay = 0.95)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (!double.IsFinite(failureReward))
        {
            throw new ArgumentOutOfRangeException(nameof(failureReward), failureReward, "expected a finite reward");
        }

        Space = space;
        Bins = bins;
        FailureReward = failureReward;
        codings = [.. space.Decisions.Where(decisions ?? (_ => true)).Select(d => new DecisionCoding(d, bins, MaxChoices))];
        if (codings.Length == 0)
        {
            throw new ArgumentException($"no decision of the space '{space.Name}' is left for the controller to emit", nameof(decisions));
        }

        controller = new ReinforceController([.. codings.Select(c => c.Choices)], seed, hiddenSize, learningRate, entropyWeight, baselineDecay);
        random = new SearchRandom(seed);
    }

    public string Name => "rl";

    public SearchSpace Space { get; }

    public int Bins { get; }

    public double FailureReward { get; }

    /// <summary>The labels the controller emits, in order.</summary>
    public IReadOnlyList<string> EmittedLabels => [.. codings.Select(c => c.Label)];

    public ReinforceController Controller => controller;

    public bool IsExhausted => false;

    public SearchSample? Ask()
    {
        var choices = controller.Sample(random.NextDouble);
        var byLabel = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < codings.Length; i++)
        {
            byLabel[codings[i].Label] = i;
        }

        // Walk the decisions in order so activity is judged on the values chosen so far; emitted decisions take the
        // controller's choice, the others (when a filter is set) are drawn.
        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        var entries = new List<KeyValuePair<string, ParameterValue>>();
        foreach (var decision in Space.Decisions)
        {
            if (!SearchSpace.IsActive(decision, label => chosen.TryGetValue(label, out var v) ? v : (ParameterValue?)null))
            {
                continue;
            }

            var value = byLabel.TryGetValue(decision.Label, out var index) ? codings[index].Decode(choices[index]) : decision.Sample(random);
            chosen[decision.Label] = value;
            entries.Add(new(decision.Label, value));
        }

        var sample = new SearchSample(entries);
        proposed[sample.Hash] = choices;
        return sample;
    }

    public void Tell(SearchSample sample, double? score)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var reward = score is { } s && double.IsFinite(s) ? s : FailureReward;
        var choices = proposed.Remove(sample.Hash, out var own) ? own : Encode(sample);
        controller.Update(choices, reward);
    }

    public byte[] SaveState() => StrategyState.Write(new State(Name, Space.Name, [.. random.State], Bins, [.. codings.Select(c => c.Label)],
        controller.SaveState(), [.. proposed.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new Proposal(p.Key, p.Value))]));

    public void LoadState(ReadOnlySpan<byte> state)
    {
        var saved = StrategyState.Read<State>(state, this, s => (s.Strategy, s.Space));
        if (saved.Bins != Bins || saved.Labels is null || !saved.Labels.SequenceEqual(codings.Select(c => c.Label)))
        {
            throw new ArgumentException($"the saved rl state emits other decisions ({saved.Bins} bins); this controller emits {codings.Length} decisions with {Bins} bins", nameof(state));
        }

        var restoredRandom = StrategyState.Random(saved.Random, Name);
        controller.LoadState(saved.Controller ?? throw new ArgumentException("the saved rl state has no controller", nameof(state)));
        random = restoredRandom;
        proposed.Clear();
        foreach (var p in saved.Proposed ?? [])
        {
            proposed[p.Hash] = p.Choices;
        }
    }

    public void Dispose() => controller.Dispose();

    private int[] Encode(SearchSample sample) =>
        [.. codings.Select(c => sample.TryGetValue(c.Label, out var value) ? c.Encode(value) : 0)];

    private sealed record Proposal(string Hash, int[] Choices);

    private sealed record State(string Strategy, string Space, ulong[] Random, int Bins, string[]? Labels, byte[]? Controller, Proposal[]? Proposed);
}
