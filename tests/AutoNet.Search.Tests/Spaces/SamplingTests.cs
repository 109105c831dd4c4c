using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class SamplingTests
{
    [Fact]
    public void The_same_seed_gives_the_same_samples_and_another_seed_others()
    {
        var space = TestSpaces.Shipped("darts");

        var first = Draw(space, 11, 20);

        Assert.Equal(first.Select(s => s.ToCanonicalJson()), Draw(space, 11, 20).Select(s => s.ToCanonicalJson()));
        Assert.NotEqual(first.Select(s => s.Hash), Draw(space, 12, 20).Select(s => s.Hash));
        Assert.Equal(20, first.Select(s => s.Hash).Distinct().Count());
    }

    [Fact]
    public void Samples_are_points_of_the_space_in_decision_order()
    {
        foreach (var name in new[] { "darts", "nasnet", "macro-cnn", "transfer" })
        {
            var space = TestSpaces.Shipped(name);
            foreach (var sample in Draw(space, 3, 200))
            {
                Assert.Empty(space.Check(sample));
                var order = sample.Labels.Select(l => space.Decisions.ToList().FindIndex(d => d.Label == l)).ToArray();
                Assert.Equal(order.Order(), order);
            }
        }
    }

    [Fact]
    public void Inactive_parameters_are_absent_and_active_ones_present()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);

        var samples = Draw(space, 9, 2000);

        Assert.All(samples, s => Assert.Equal(s.GetString("hp/optimizer") == "sgd", s.Contains("hp/momentum")));
        Assert.All(samples, s => Assert.Equal(s.TryGetValue("hp/momentum", out var m) && m == 0.95, s.Contains("hp/nesterov")));
        Assert.All(samples, s => Assert.Equal(s.GetInt64("arch/depth") >= 2, s.Contains("arch/wide")));
        Assert.Contains(samples, s => s.Contains("hp/nesterov"));
    }

    [Fact]
    public void Categorical_and_int_values_are_drawn_uniformly()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);

        var samples = Draw(space, 4, 8000);

        Assert.All(samples.GroupBy(s => s.GetInt64("hp/batch_size")), g => Assert.InRange(g.Count(), 1800, 2200));
        Assert.Equal(4, samples.Select(s => s.GetInt64("hp/batch_size")).Distinct().Count());
        Assert.InRange(samples.Count(s => s.GetString("hp/optimizer") == "sgd"), 3800, 4200);
        Assert.All(samples.GroupBy(s => s.GetInt64("arch/depth")), g => Assert.InRange(g.Count(), 2450, 2900));
    }

    [Fact]
    public void A_log_range_is_drawn_uniformly_in_the_logarithm()
    {
        var space = TestSpaces.Parse("""
            {"name": "log", "kind": "macro", "hyperparameters": {
              "lr": {"type": "log_float", "low": 0.0001, "high": 1},
              "dropout": {"type": "float", "low": 0.2, "high": 0.4},
              "width": {"type": "int", "low": 1, "high": 1000, "log": true}}}
            """);

        var samples = Draw(space, 8, 10_000);
        var lr = samples.Select(s => s.GetDouble("hp/lr")).ToArray();
        var width = samples.Select(s => s.GetInt64("hp/width")).ToArray();

        Assert.All(lr, v => Assert.InRange(v, 0.0001, 1));
        // Each decade of [1e-4, 1] holds a quarter of the draws.
        for (var decade = -4; decade < 0; decade++)
        {
            Assert.InRange(lr.Count(v => v >= Math.Pow(10, decade) && v < Math.Pow(10, decade + 1)), 2300, 2700);
        }

        Assert.InRange(samples.Average(s => s.GetDouble("hp/dropout")), 0.295, 0.305);
        Assert.All(width, v => Assert.InRange(v, 1, 1000));
        Assert.InRange(width.Count(v => v < 32), 4500, 5500);
        Assert.All(samples, s => Assert.Equal(ValueKind.Float, s["hp/lr"].Kind));
    }

    [Fact]
    public void Every_op_and_every_allowed_input_appears_in_cell_samples()
    {
        var space = TestSpaces.Shipped("darts");

        var samples = Draw(space, 21, 400);

        Assert.Equal(space.Cell!.Ops.Order(), samples.Select(s => s.GetString("normal/block3/op1")).Distinct().Order());
        Assert.Equal([0, 1, 2, 3, 4], samples.Select(s => s.GetInt32("reduction/block3/input0")).Distinct().Order());
        Assert.Equal([0, 1], samples.Select(s => s.GetInt32("normal/block0/input1")).Distinct().Order());
    }

    private static List<SearchSample> Draw(SearchSpace space, long seed, int count)
    {
        var random = new SearchRandom(seed);
        return [.. Enumerable.Range(0, count).Select(_ => space.Sample(random))];
    }
}
