using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies.Tpe;

namespace AutoNet.Search.Strategies;

/// <summary>
/// Tree-structured Parzen Estimators over the decisions of a space, one decision at a time (univariate TPE, as
/// Optuna's default sampler, see <see cref="TpeSampler"/>): decisions are visited in <see cref="SearchSpace.Decisions"/>
/// order; a decision inactive given the values chosen so far is skipped, and an active one is modelled on the told
/// points in which it was active. Categorical values are modelled by index, integers on their grid (on their value
/// for log ranges), floats on their range (in log space for log ranges). A failed or rejected point (score null)
/// ranks below every scored one, so it counts among the bad ones. Meant for hyperparameters, and usable over every
/// decision of a small space; see <see cref="CombinedStrategy"/> to pair it with an architecture strategy.
/// </summary>
public sealed class TpeStrategy : ISearchStrategy
{
    private readonly TpeSampler sampler;
    private readonly List<(SearchSample Sample, double? Score)> history = [];
    private SearchRandom random;

    public TpeStrategy(SearchSpace space, long seed, int startupTrials = 10, int candidates = 24)
    {
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        sampler = new TpeSampler(startupTrials, candidates);
        random = new SearchRandom(seed);
    }

    public string Name => "tpe";

    public SearchSpace Space { get; }

    /// <summary>How many results were told.</summary>
    public int Observations => history.Count;

    public bool IsExhausted => false;

    public SearchSample? Ask() => Propose(SearchSample.Empty, _ => true);

    /// <summary>
    /// A point whose decisions selected by <paramref name="suggest"/> come from TPE; the others keep their value in
    /// <paramref name="given"/> when it is active and valid, and are drawn at random otherwise.
    /// </summary>
    public SearchSample Propose(SearchSample given, Func<SearchParameter, bool> suggest)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(suggest);
        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        var entries = new List<KeyValuePair<string, ParameterValue>>(Space.Decisions.Count);
        foreach (var decision in Space.Decisions)
        {
            if (!SearchSpace.IsActive(decision, label => chosen.TryGetValue(label, out var v) ? v : (ParameterValue?)null))
            {
                continue;
            }

            ParameterValue value;
            if (suggest(decision))
            {
                value = Suggest(decision);
            }
            else
            {
                value = given.TryGetValue(decision.Label, out var kept) && decision.Contains(kept) ? kept : decision.Sample(random);
            }

            chosen[decision.Label] = value;
            entries.Add(new(decision.Label, value));
        }

        return new SearchSample(entries);
    }

    public void Tell(SearchSample sample, double? score)
    {
        ArgumentNullException.ThrowIfNull(sample);
        history.Add((sample, score is { } s && double.IsFinite(s) ? s : null));
    }

    public byte[] SaveState() => StrategyState.Write(new State(Name, Space.Name, [.. random.State], sampler.StartupTrials, sampler.Candidates,
        [.. history.Select(h => new Observation(StrategyState.Sample(h.Sample), h.Score))]));

    public void LoadState(ReadOnlySpan<byte> state)
    {
        var saved = StrategyState.Read<State>(state, this, s => (s.Strategy, s.Space));
        if (saved.StartupTrials != sampler.StartupTrials || saved.Candidates != sampler.Candidates)
        {
            throw new ArgumentException(
                $"the saved tpe state has {saved.StartupTrials} startup trials and {saved.Candidates} candidates; this one has {sampler.StartupTrials} and {sampler.Candidates}",
                nameof(state));
        }

        var observations = (saved.History ?? []).Select(o => (StrategyState.Sample(o.Sample), o.Score)).ToList();
        random = StrategyState.Random(saved.Random, Name);
        history.Clear();
        history.AddRange(observations);
    }

    private ParameterValue Suggest(SearchParameter decision)
    {
        var domain = DomainOf(decision);
        var observed = new List<(double Value, double Score)>();
        foreach (var (sample, score) in history)
        {
            if (sample.TryGetValue(decision.Label, out var value) && decision.Contains(value))
            {
                observed.Add((ToModel(decision, value), score ?? double.NegativeInfinity));
            }
        }

        return FromModel(decision, sampler.Suggest(domain, observed, random.NextDouble));
    }

    private static TpeDomain DomainOf(SearchParameter decision) => decision switch
    {
        FloatParameter f => TpeDomain.Float(f.Low, f.High, f.Log),
        IntParameter { Log: true } i => TpeDomain.Int(i.Low, i.High, log: true),
        IntParameter i => TpeDomain.Int(0, i.Cardinality - 1),
        _ => TpeDomain.Categorical(checked((int)decision.Cardinality)),
    };

    private static double ToModel(SearchParameter decision, ParameterValue value) => decision switch
    {
        FloatParameter => value.AsDouble(),
        IntParameter { Log: true } => value.AsInt64(),
        _ => decision.IndexOf(value),
    };

    private static ParameterValue FromModel(SearchParameter decision, double x) => decision switch
    {
        FloatParameter f => Math.Clamp(x, f.Low, f.High),
        IntParameter { Log: true } i => Math.Clamp((long)Math.Round(x), i.Low, i.High),
        _ => decision.ValueAt(Math.Clamp((long)Math.Round(x), 0, decision.Cardinality - 1)),
    };

    private sealed record Observation(string Sample, double? Score);

    private sealed record State(string Strategy, string Space, ulong[] Random, int StartupTrials, int Candidates, Observation[]? History);
}
