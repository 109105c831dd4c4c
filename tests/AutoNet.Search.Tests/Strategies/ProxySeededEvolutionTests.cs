using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

public sealed class ProxySeededEvolutionTests
{
    [Fact]
    public void The_first_population_is_the_best_scored_of_the_pool_best_first()
    {
        var space = TestSpaces.Shipped("darts");
        var scorer = new SyntheticScorer(space);
        var strategy = new ProxySeededEvolution(space, 3, scorer, poolSize: 60, populationSize: 5, sampleSize: 2);

        var first = Enumerable.Range(0, 5).Select(_ => strategy.Ask()!).ToList();

        Assert.Equal(60, scorer.Calls);
        var scores = first.Select(s => scorer.Score(s)!.Value).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        // Nothing else of the 60 draws scored higher than the fifth member.
        Assert.Equal(strategy.Pool.Take(5).Select(p => p.Sample), first);
        Assert.True(strategy.Pool.Skip(5).All(p => p.Score <= scores[^1]));
        // The proxy does not see the recipe: the pool keeps one point per network.
        var networks = strategy.Pool.Select(p => string.Join(",", p.Sample.Entries.Where(e => !e.Key.StartsWith("hp/", StringComparison.Ordinal)))).ToList();
        Assert.Equal(networks.Count, networks.Distinct().Count());
    }

    [Fact]
    public void A_network_is_scored_once_however_many_recipes_are_drawn_for_it()
    {
        var space = TestSpaces.Shipped("macro-cnn-tiny");
        var scorer = new SyntheticScorer(space);
        var strategy = new ProxySeededEvolution(space, 2, scorer, poolSize: 400, childCandidates: 3, populationSize: 4, sampleSize: 2);
        for (var i = 0; i < 20; i++)
        {
            var sample = strategy.Ask()!;
            strategy.Tell(sample, SyntheticObjective.Score(space, sample));
        }

        // macro-cnn-tiny has fewer than 400 networks: the pool stops at the networks it found, scored once each.
        var networks = strategy.Pool.Count;
        Assert.True(scorer.Calls < 400 + (16 * 3), $"{scorer.Calls} scores");
        Assert.True(networks > 0);
    }

    [Fact]
    public void A_failed_member_of_the_first_population_is_replaced_by_the_next_best_scored()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var strategy = new ProxySeededEvolution(space, 4, new SyntheticScorer(space), poolSize: 30, populationSize: 3, sampleSize: 2);
        var pool = strategy.Pool;

        var first = strategy.Ask()!;
        strategy.Tell(first, null);
        var next = Enumerable.Range(0, 3).Select(_ => strategy.Ask()!).ToList();

        Assert.Equal(strategy.Pool.Skip(1).Take(3).Select(p => p.Sample), next);
        Assert.Empty(pool);
    }

    [Fact]
    public void Each_child_is_the_best_scored_of_its_candidate_mutations()
    {
        var space = TestSpaces.Shipped("darts");
        var scorer = new SyntheticScorer(space);
        var strategy = new ProxySeededEvolution(space, 5, scorer, poolSize: 20, childCandidates: 6, populationSize: 4, sampleSize: 2);
        for (var i = 0; i < 4; i++)
        {
            var member = strategy.Ask()!;
            strategy.Tell(member, SyntheticObjective.Score(space, member));
        }

        for (var i = 0; i < 10; i++)
        {
            var before = scorer.Calls;
            var child = strategy.Ask()!;

            // Up to six new networks scored (a mutation of the recipe alone keeps a known network), none above the child.
            var candidates = scorer.Scored.Skip(before).ToList();
            Assert.InRange(candidates.Count, 0, 6);
            var childScore = SyntheticObjective.Score(space, child, d => d.Role != DecisionRole.Hyperparameter);
            Assert.All(candidates, c => Assert.True(c.Score <= childScore, $"candidate {c.Score} above the child {childScore}"));
            space.Validate(child);
            strategy.Tell(child, SyntheticObjective.Score(space, child));
        }
    }

    [Fact]
    public void Proxy_seeding_finds_better_points_than_plain_evolution_when_the_proxy_agrees_with_training()
    {
        var space = TestSpaces.Shipped("darts");
        long[] seeds = [1, 2, 3, 4, 5];
        var seeded = seeds.Average(seed => SyntheticObjective.Best(new ProxySeededEvolution(space, seed, new SyntheticScorer(space), poolSize: 200), 30));
        var plain = seeds.Average(seed => SyntheticObjective.Best(new RegularizedEvolution(space, seed), 30));

        Assert.True(seeded > plain + 0.05, $"mean best score in 30 trials: proxy-seeded {seeded:F3}, plain evolution {plain:F3}");
    }

    [Fact]
    public void A_restored_state_does_not_score_the_pool_again()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var strategy = new ProxySeededEvolution(space, 6, new SyntheticScorer(space), poolSize: 50, childCandidates: 1);
        var sample = strategy.Ask()!;
        strategy.Tell(sample, 0.5);
        var scorer = new SyntheticScorer(space);
        var resumed = new ProxySeededEvolution(space, 99, scorer, poolSize: 50, childCandidates: 1);

        resumed.LoadState(strategy.SaveState());

        Assert.Equal(strategy.Ask(), resumed.Ask());
        Assert.Equal(0, scorer.Calls);
    }

    [Fact]
    public void A_state_saved_with_another_proxy_or_pool_is_refused_naming_both()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var saved = new ProxySeededEvolution(space, 6, new SyntheticScorer(space), poolSize: 50).SaveState();

        var error = Assert.Throws<ArgumentException>(() => new ProxySeededEvolution(space, 6, new SyntheticScorer(space), poolSize: 80).LoadState(saved));

        Assert.Contains("pool of 50", error.Message);
        Assert.Contains("80", error.Message);
    }

    [Fact]
    public void A_transfer_space_is_refused_because_its_backbones_cannot_be_scored_here()
    {
        var space = TestSpaces.Shipped("transfer");

        var error = Assert.Throws<ArgumentException>(() => new ProxySeededEvolution(space, 1, new SyntheticScorer(space)));

        Assert.Contains("transfer space", error.Message);
    }

    [Fact]
    public void The_factory_needs_a_scorer_for_the_proxy_strategy_but_validates_without_one()
    {
        var space = TestSpaces.Shipped("darts");

        Assert.True(StrategyFactory.NeedsScorer("proxy"));
        Assert.Contains("scorer", Assert.Throws<ArgumentException>(() => StrategyFactory.Create("proxy", space, 1)).Message);
        StrategyFactory.Validate("proxy", space);
        Assert.Throws<ArgumentException>(() => StrategyFactory.Validate("proxy", TestSpaces.Shipped("transfer")));
        Assert.IsType<ProxySeededEvolution>(StrategyFactory.Create("proxy", space, 1, new SyntheticScorer(space)));
    }

    [Fact]
    public void One_shot_evolves_its_pool_on_the_scorer_one_score_per_network()
    {
        var space = TestSpaces.Shipped("darts");
        var scorer = new SyntheticScorer(space);
        var strategy = new ProxySeededEvolution(space, 3, scorer, poolSize: 120, populationSize: 5, sampleSize: 2, evolvePool: true);

        var first = Enumerable.Range(0, 5).Select(_ => strategy.Ask()!).ToList();

        Assert.Equal("oneshot", strategy.Name);
        Assert.Equal(120, scorer.Calls);
        Assert.Equal(strategy.Pool.Take(5).Select(p => p.Sample), first);
        // After the first population of the pool's search, every network judged is a mutation of an earlier one.
        var drawnAtRandom = scorer.Scored.Take(ProxySeededEvolution.PoolPopulationSize).Select(s => s.Sample).ToHashSet();
        Assert.Contains(scorer.Scored.Skip(ProxySeededEvolution.PoolPopulationSize), s => !drawnAtRandom.Contains(s.Sample));
    }

    [Fact]
    public void An_evolved_pool_holds_better_networks_than_as_many_random_draws()
    {
        var space = TestSpaces.Shipped("darts");
        long[] seeds = [1, 2, 3, 4, 5];
        double BestOfPool(long seed, bool evolve)
        {
            var strategy = new ProxySeededEvolution(space, seed, new SyntheticScorer(space), poolSize: 300, evolvePool: evolve);
            strategy.Ask();
            return strategy.Pool[0].Score;
        }

        var evolved = seeds.Average(seed => BestOfPool(seed, evolve: true));
        var drawn = seeds.Average(seed => BestOfPool(seed, evolve: false));

        Assert.True(evolved > drawn, $"mean best of 300 networks: evolved {evolved:F3}, random {drawn:F3}");
    }

    [Fact]
    public void One_shot_and_proxy_states_are_not_interchangeable()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var oneShot = new ProxySeededEvolution(space, 6, new SyntheticScorer(space), poolSize: 50, evolvePool: true);
        oneShot.Tell(oneShot.Ask()!, 0.5);

        var error = Assert.Throws<ArgumentException>(() => new ProxySeededEvolution(space, 6, new SyntheticScorer(space), poolSize: 50).LoadState(oneShot.SaveState()));
        var resumed = new ProxySeededEvolution(space, 1, new SyntheticScorer(space), poolSize: 50, evolvePool: true);
        resumed.LoadState(oneShot.SaveState());

        Assert.Contains("oneshot", error.Message);
        Assert.Equal(oneShot.Ask(), resumed.Ask());
    }

    [Fact]
    public void The_factory_needs_a_supernet_for_the_one_shot_strategy_but_validates_without_one()
    {
        var space = TestSpaces.Shipped("macro-cnn");

        Assert.True(StrategyFactory.NeedsScorer("oneshot"));
        Assert.Contains("supernet", Assert.Throws<ArgumentException>(() => StrategyFactory.Create("oneshot", space, 1)).Message);
        StrategyFactory.Validate("oneshot", space);
        Assert.Contains("one-shot", Assert.Throws<ArgumentException>(() => StrategyFactory.Validate("oneshot", TestSpaces.Shipped("transfer"))).Message);
        Assert.True(Assert.IsType<ProxySeededEvolution>(StrategyFactory.Create("oneshot", space, 1, new SyntheticScorer(space))).EvolvesPool);
    }
}
