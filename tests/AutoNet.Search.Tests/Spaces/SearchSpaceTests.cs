using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class SearchSpaceTests
{
    private const string Cell = """
        {
          "name": "cells", "kind": "cell",
          "cell": {"blocks": 3, "ops": ["skip_connect", "sep_conv_3x3"]},
          "architecture": {"init_channels": {"type": "categorical", "choices": [8, 16]}},
          "hyperparameters": {"learning_rate": {"type": "log_float", "low": 0.001, "high": 0.1}}
        }
        """;

    [Fact]
    public void A_cell_space_lists_architecture_then_each_cell_block_by_block_then_hyperparameters()
    {
        var space = TestSpaces.Parse(Cell);

        var labels = space.Decisions.Select(d => d.Label).ToArray();

        Assert.Equal(1 + (2 * 3 * 4) + 1, labels.Length);
        Assert.Equal("arch/init_channels", labels[0]);
        Assert.Equal(["normal/block0/input0", "normal/block0/op0", "normal/block0/input1", "normal/block0/op1", "normal/block1/input0"], labels[1..6]);
        Assert.Equal("reduction/block0/input0", labels[13]);
        Assert.Equal("reduction/block2/op1", labels[^2]);
        Assert.Equal("hp/learning_rate", labels[^1]);
    }

    [Fact]
    public void A_block_input_domain_grows_with_the_block_index()
    {
        var space = TestSpaces.Parse(Cell);

        for (var block = 0; block < 3; block++)
        {
            var input = Assert.IsType<CategoricalParameter>(space[CellSpace.InputLabel("reduction", block, 1)]);
            Assert.Equal(Enumerable.Range(0, block + 2).Select(i => ParameterValue.Of(i)), input.Choices);
            Assert.Equal(DecisionRole.CellInput, input.Role);
        }

        var op = Assert.IsType<CategoricalParameter>(space["normal/block2/op0"]);
        Assert.Equal([ParameterValue.Of("skip_connect"), ParameterValue.Of("sep_conv_3x3")], op.Choices);
        Assert.Equal(DecisionRole.CellOp, op.Role);
        Assert.Equal(DecisionRole.Hyperparameter, space["hp/learning_rate"].Role);
        Assert.Equal("learning_rate", space["hp/learning_rate"].Name);
    }

    [Fact]
    public void A_decision_comes_after_the_decisions_its_conditions_refer_to()
    {
        var space = TestSpaces.Parse("""
            {
              "name": "order", "kind": "macro",
              "hyperparameters": {
                "nesterov": {"type": "categorical", "choices": [false, true], "when": {"momentum": 0.9}},
                "momentum": {"type": "categorical", "choices": [0.9, 0.99], "when": {"optimizer": "sgd"}},
                "lr": {"type": "log_float", "low": 0.001, "high": 0.1},
                "optimizer": {"type": "categorical", "choices": ["sgd", "adamw"]}
              }
            }
            """);

        Assert.Equal(["hp/lr", "hp/optimizer", "hp/momentum", "hp/nesterov"], space.Decisions.Select(d => d.Label));
        Assert.Equal("hp/momentum = 0.9", space["hp/nesterov"].Conditions.Single().ToString());
    }

    [Fact]
    public void Check_accepts_a_point_and_names_every_problem_of_a_wrong_one()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);
        var good = new SearchSample([new("arch/depth", 2L), new("arch/wide", true), new("hp/optimizer", "sgd"), new("hp/momentum", 0.95), new("hp/nesterov", false), new("hp/batch_size", 64L)]);

        Assert.Empty(space.Check(good));
        space.Validate(good);

        var bad = new SearchSample([new("arch/depth", 1L), new("arch/wide", true), new("hp/optimizer", "adam"), new("hp/momentum", 0.95), new("hp/batch_size", 70L), new("hp/lr", 0.1)]);
        var problems = space.Check(bad);

        Assert.Equal(
            [
                "'arch/wide' is set to true but is inactive: it exists only when arch/depth in [2, 3]",
                "'hp/optimizer' is \"adam\"; expected one of [\"sgd\", \"adamw\"]",
                "'hp/momentum' is set to 0.95 but is inactive: it exists only when hp/optimizer = \"sgd\"",
                "'hp/batch_size' is 70; expected an integer in [32, 128] in steps of 32",
                "'hp/lr' is not a decision of the space 'small'",
            ],
            problems);
        var error = Assert.Throws<SearchSampleException>(() => space.Validate(bad));
        Assert.Equal(problems, error.Problems);
    }

    [Fact]
    public void A_missing_active_value_and_a_value_of_the_wrong_kind_are_problems()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);
        var sample = new SearchSample([new("arch/depth", 3.0), new("hp/optimizer", "adamw"), new("hp/batch_size", 32L)]);

        Assert.Equal(["'arch/depth' is 3.0; expected an integer in [1, 3]"], space.Check(sample));
        Assert.Equal(["'hp/optimizer' is missing; expected one of [\"sgd\", \"adamw\"]"], space.Check(new SearchSample([new("arch/depth", 1L), new("hp/batch_size", 32L)])));
    }

    [Fact]
    public void Complete_keeps_valid_values_redraws_invalid_ones_and_follows_the_conditions()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);
        var partial = new SearchSample([new("arch/depth", 1L), new("arch/wide", true), new("hp/optimizer", "sgd"), new("hp/batch_size", 999L)]);

        var completed = space.Complete(partial, new SearchRandom(5));

        space.Validate(completed);
        Assert.Equal(1L, completed.GetInt64("arch/depth"));
        Assert.False(completed.Contains("arch/wide"));
        Assert.Equal("sgd", completed.GetString("hp/optimizer"));
        Assert.True(completed.Contains("hp/momentum"));
        Assert.InRange(completed.GetInt32("hp/batch_size"), 32, 128);
    }

    [Fact]
    public void Mutate_changes_one_decision_to_another_value_and_repairs_the_conditions()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);
        var random = new SearchRandom(3);
        var adamw = new SearchSample([new("arch/depth", 1L), new("hp/optimizer", "adamw"), new("hp/batch_size", 64L)]);

        var mutated = space.Mutate(adamw, "hp/optimizer", random);

        Assert.Equal("sgd", mutated.GetString("hp/optimizer"));
        Assert.True(mutated.Contains("hp/momentum"));
        Assert.Equal(adamw.Entries.Where(e => e.Key != "hp/optimizer"), mutated.Entries.Where(e => adamw.Contains(e.Key) && e.Key != "hp/optimizer"));
        Assert.False(space.Mutate(mutated, "hp/optimizer", random).Contains("hp/momentum"));
        for (var i = 0; i < 50; i++)
        {
            var depth = space.Mutate(adamw, "arch/depth", random);
            Assert.NotEqual(1L, depth.GetInt64("arch/depth"));
            Assert.True(depth.Contains("arch/wide"));
            Assert.Empty(space.Check(depth));
        }
    }

    [Fact]
    public void Mutating_a_cell_op_changes_only_that_op()
    {
        var space = TestSpaces.Parse(Cell);
        var random = new SearchRandom(9);
        var sample = space.Sample(random);

        var mutated = space.Mutate(sample, "normal/block1/op0", random);

        Assert.NotEqual(sample["normal/block1/op0"], mutated["normal/block1/op0"]);
        Assert.Equal(sample.Count - 1, sample.Entries.Intersect(mutated.Entries).Count());
        Assert.Throws<ArgumentException>(() => TestSpaces.Parse(TestSpaces.Conditional).Mutate(new SearchSample([new("arch/depth", 1L), new("hp/optimizer", "adamw"), new("hp/batch_size", 64L)]), "hp/momentum", random));
    }

    [Fact]
    public void Bounds_reject_a_model_over_either_limit()
    {
        var space = TestSpaces.Parse("{\"name\": \"b\", \"kind\": \"macro\", \"maxParams\": 1000, \"maxFlops\": 5000, \"hyperparameters\": {}}");

        Assert.Null(space.CheckBounds(new AutoNet.Models.ModelComplexity(1000, 2500)));
        Assert.Contains("maxParams", space.CheckBounds(1001, 10), StringComparison.Ordinal);
        Assert.Contains("maxFlops", space.CheckBounds(new AutoNet.Models.ModelComplexity(10, 2501)), StringComparison.Ordinal);
    }
}
