using System.Text.Json;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Store;

namespace AutoNet.Scheduling.Search;

/// <summary>
/// A search strategy as the coordinator's <see cref="ITrialProposer"/>. Each proposal is a strategy point that passed
/// the <see cref="ComplexityGuard"/> (rejected points are told to the strategy as failures), written as a
/// <see cref="TrialProposal"/>:
/// <list type="bullet">
/// <item><c>GenotypeJson</c>/<c>GenotypeHash</c>: the genotype's canonical JSON and hash for cell spaces; for other
/// spaces the canonical JSON (and hash) of the point's non-hyperparameter decisions.</item>
/// <item><c>HyperparametersJson</c>: the whole point as canonical <see cref="SearchSample"/> JSON — the trainer reads it
/// back with <see cref="SearchSample.FromJson"/>; <c>MaxEpochs</c> from its <c>hp/epochs</c> (else the space's fixed
/// <c>epochs</c>, else the default given).</item>
/// <item><c>ParameterCount</c>/<c>Flops</c> from the guard's count, when the space's models can be counted.</item>
/// </list>
/// A point identical to one already finished is not trained again: its result is told to the strategy once more and
/// the strategy is asked again; a point identical to one still in flight is told when that one ends. Trial numbers
/// are mapped back to points (<see cref="ITrialProposer.Added"/>) for <see cref="Tell"/>. After every change that
/// matters for a resume — a trial added, a result told — the whole state (the strategy's, random generator
/// included, with the trial map and the known results) is handed to the save callback, e.g.
/// <see cref="SaveTo(IExperimentStore, long)"/>, and <see cref="LoadState"/> continues exactly from it.
/// </summary>
public sealed class StrategyProposer : ITrialProposer
{
    /// <summary>How many duplicates in a row <see cref="Propose"/> skips before it says "nothing now".</summary>
    public const int DefaultMaxDuplicates = 100;

    private const string StateFormat = "autonet.strategy-proposer/1";

    private readonly ISearchStrategy strategy;
    private readonly ComplexityGuard? guard;
    private readonly Action<byte[]>? save;
    private readonly int? defaultMaxEpochs;
    private readonly int maxDuplicates;
    private readonly Dictionary<int, SearchSample> trials = [];
    private readonly Dictionary<string, double?> results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> waiting = new(StringComparer.Ordinal);
    private (TrialProposal Proposal, SearchSample Sample)? last;

    /// <param name="strategy">What to try next.</param>
    /// <param name="guard">Rejects points over the space's bounds and counts their size; null trains every point unmeasured.</param>
    /// <param name="save">Receives the proposer's state after every change (see <see cref="SaveTo(IExperimentStore, long)"/>).</param>
    /// <param name="defaultMaxEpochs">The epoch budget of a point without <c>hp/epochs</c>; without it such a point is an error.</param>
    /// <param name="maxDuplicates">How many duplicates in a row <see cref="Propose"/> skips before it gives up for now.</param>
    public StrategyProposer(ISearchStrategy strategy, ComplexityGuard? guard = null, Action<byte[]>? save = null, int? defaultMaxEpochs = null,
        int maxDuplicates = DefaultMaxDuplicates)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (guard is not null && guard.Space.Name != strategy.Space.Name)
        {
            throw new ArgumentException($"the guard checks the space '{guard.Space.Name}' but the strategy searches '{strategy.Space.Name}'", nameof(guard));
        }

        if (defaultMaxEpochs is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(defaultMaxEpochs), defaultMaxEpochs, "expected at least 1 epoch");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxDuplicates, 1);
        this.strategy = strategy;
        this.guard = guard;
        this.save = save;
        this.defaultMaxEpochs = defaultMaxEpochs;
        this.maxDuplicates = maxDuplicates;
    }

    public ISearchStrategy Strategy => strategy;

    public bool IsExhausted => strategy.IsExhausted;

    /// <summary>The point trial <paramref name="trialNumber"/> trains, when this proposer proposed it.</summary>
    public SearchSample? SampleOf(int trialNumber) => trials.GetValueOrDefault(trialNumber);

    /// <summary>A callback that writes the state to the experiment's row in the store (blocking: the coordinator's loop waits for it).</summary>
    public static Action<byte[]> SaveTo(IExperimentStore store, long experimentId)
    {
        ArgumentNullException.ThrowIfNull(store);
        return state => store.SaveStrategyStateAsync(experimentId, state).GetAwaiter().GetResult();
    }

    public TrialProposal? Propose()
    {
        for (var skipped = 0; skipped < maxDuplicates; skipped++)
        {
            if (strategy.IsExhausted)
            {
                return null;
            }

            if (AskWithinBounds() is not { } guarded)
            {
                return null;
            }

            var sample = guarded.Sample;
            if (results.TryGetValue(sample.Hash, out var known))
            {
                strategy.Tell(sample, known);
                continue;
            }

            if (inFlight.ContainsKey(sample.Hash))
            {
                waiting[sample.Hash] = waiting.GetValueOrDefault(sample.Hash) + 1;
                continue;
            }

            var proposal = ToProposal(sample, guarded);
            last = (proposal, sample);
            return proposal;
        }

        return null;
    }

    public void Added(int trialNumber, TrialProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (last is not { } pending || !ReferenceEquals(pending.Proposal, proposal))
        {
            throw new InvalidOperationException($"trial {trialNumber} was added from a proposal this proposer did not just make");
        }

        last = null;
        trials[trialNumber] = pending.Sample;
        inFlight[pending.Sample.Hash] = inFlight.GetValueOrDefault(pending.Sample.Hash) + 1;
        Save();
    }

    public void Tell(int trialNumber, TrialEndState state, double? score)
    {
        // A number this proposer never mapped (a trial added by another proposer) has no point to learn from.
        if (!trials.Remove(trialNumber, out var sample))
        {
            return;
        }

        var result = state == TrialEndState.Failed ? null : score;
        var hash = sample.Hash;
        results[hash] = result;
        if (inFlight.TryGetValue(hash, out var count) && count > 1)
        {
            inFlight[hash] = count - 1;
        }
        else
        {
            inFlight.Remove(hash);
        }

        strategy.Tell(sample, result);
        if (waiting.Remove(hash, out var duplicates))
        {
            for (var i = 0; i < duplicates; i++)
            {
                strategy.Tell(sample, result);
            }
        }

        Save();
    }

    /// <summary>Everything needed to continue: the strategy's state, the trials in flight and the results known.</summary>
    public byte[] SaveState() => JsonSerializer.SerializeToUtf8Bytes(new State(
        StateFormat,
        strategy.Name,
        strategy.Space.Name,
        strategy.SaveState(),
        [.. trials.OrderBy(t => t.Key).Select(t => new TrialPoint(t.Key, t.Value.ToJson(indented: false)))],
        [.. results.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new KnownResult(r.Key, r.Value))],
        [.. waiting.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => new Waiting(w.Key, w.Value))]));

    /// <summary>Restores <see cref="SaveState"/>'s bytes (from the store on <c>--resume</c>); a state of another strategy or space is refused.</summary>
    public void LoadState(ReadOnlySpan<byte> state)
    {
        State? saved;
        try
        {
            saved = JsonSerializer.Deserialize<State>(state);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the saved search state is not valid JSON: {e.Message}", nameof(state), e);
        }

        if (saved is null || saved.Format != StateFormat || saved.Strategy != strategy.Name || saved.Space != strategy.Space.Name)
        {
            throw new ArgumentException(
                $"the saved search state is for strategy '{saved?.Strategy}' over space '{saved?.Space}'; expected '{strategy.Name}' over '{strategy.Space.Name}'",
                nameof(state));
        }

        strategy.LoadState(saved.StrategyState ?? throw new ArgumentException("the saved search state has no strategy state", nameof(state)));
        trials.Clear();
        results.Clear();
        inFlight.Clear();
        waiting.Clear();
        last = null;
        foreach (var trial in saved.Trials ?? [])
        {
            var sample = SearchSample.FromJson(trial.Sample);
            trials[trial.Number] = sample;
            inFlight[sample.Hash] = inFlight.GetValueOrDefault(sample.Hash) + 1;
        }

        foreach (var result in saved.Results ?? [])
        {
            results[result.Hash] = result.Score;
        }

        foreach (var w in saved.Waiting ?? [])
        {
            waiting[w.Hash] = w.Count;
        }
    }

    // The guard asks again past rejected points; without one every point passes unmeasured.
    private GuardedSample? AskWithinBounds()
    {
        if (guard is not null)
        {
            return guard.Ask(strategy);
        }

        return strategy.Ask() is { } sample ? new GuardedSample(sample, null, 0) : null;
    }

    private TrialProposal ToProposal(SearchSample sample, GuardedSample guarded)
    {
        var space = strategy.Space;
        string genotypeJson, genotypeHash;
        if (space.Kind == SearchSpaceKind.Cell)
        {
            var genotype = SampleConversions.ToGenotype(space, sample);
            (genotypeJson, genotypeHash) = (genotype.ToCanonicalJson(), genotype.Hash);
        }
        else
        {
            var architecture = new SearchSample(sample.Entries.Where(e => !space.TryGetDecision(e.Key, out var d) || d.Role != DecisionRole.Hyperparameter));
            (genotypeJson, genotypeHash) = (architecture.ToCanonicalJson(), architecture.Hash);
        }

        var maxEpochs = sample.TryGetValue(SpaceLabels.Epochs, out var epochs) || space.TryGetFixed("epochs", out epochs) ? epochs.AsInt32()
            : defaultMaxEpochs ?? throw new InvalidOperationException(
                $"the point {sample} of the space '{space.Name}' has no '{SpaceLabels.Epochs}', the space fixes no epochs and the proposer has no default epoch budget");
        return new TrialProposal(genotypeJson, genotypeHash, sample.ToCanonicalJson(), maxEpochs)
        {
            ParameterCount = guarded.Complexity?.Parameters,
            Flops = guarded.Flops,
        };
    }

    private void Save() => save?.Invoke(SaveState());

    /// <summary>The strategy's own state inside a saved search state (what a reader such as the dashboard inspects), or null when it holds none.</summary>
    public static byte[]? StrategyStateOf(ReadOnlySpan<byte> state)
    {
        try
        {
            return JsonSerializer.Deserialize<State>(state) is { Format: StateFormat, StrategyState: { } inner } ? inner : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record TrialPoint(int Number, string Sample);

    private sealed record KnownResult(string Hash, double? Score);

    private sealed record Waiting(string Hash, int Count);

    private sealed record State(string Format, string Strategy, string Space, byte[]? StrategyState, TrialPoint[]? Trials, KnownResult[]? Results, Waiting[]? Waiting);
}
