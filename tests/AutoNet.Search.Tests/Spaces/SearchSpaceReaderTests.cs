using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class SearchSpaceReaderTests
{
    private const string Hp = "\"hyperparameters\": {\"lr\": {\"type\": \"log_float\", \"low\": 0.001, \"high\": 0.1}}";

    [Fact]
    public void A_valid_file_gives_every_parameter_type_with_its_domain()
    {
        var space = TestSpaces.Parse("""
            {
              "name": "all-types", "kind": "macro", "description": "every type", "maxParams": 1000, "maxFlops": 2000,
              "architecture": {"width": {"type": "categorical", "choices": [16, 32]}},
              "hyperparameters": {
                "epochs": {"type": "int", "low": 2, "high": 10, "step": 2},
                "batch": {"type": "int", "low": 8, "high": 256, "log": true},
                "dropout": {"type": "float", "low": 0.0, "high": 0.5},
                "lr": {"type": "log_float", "low": 0.0001, "high": 0.1},
                "wd": {"type": "float", "low": 1e-5, "high": 1e-2, "log": true, "description": "weight decay"},
                "mix": {"type": "categorical", "choices": [0.5, 1]}
              },
              "fixed": {"weights": "w.safetensors"}
            }
            """);

        Assert.Equal("all-types", space.Name);
        Assert.Equal(SearchSpaceKind.Macro, space.Kind);
        Assert.Equal(1000, space.MaxParams);
        Assert.Equal(2000, space.MaxFlops);
        Assert.Equal(["arch/width", "hp/epochs", "hp/batch", "hp/dropout", "hp/lr", "hp/wd", "hp/mix"], space.Decisions.Select(d => d.Label));
        var epochs = Assert.IsType<IntParameter>(space["hp/epochs"]);
        Assert.Equal((2, 10, 2, false, 5L), (epochs.Low, epochs.High, epochs.Step, epochs.Log, epochs.Cardinality));
        Assert.True(Assert.IsType<IntParameter>(space["hp/batch"]).Log);
        Assert.False(Assert.IsType<FloatParameter>(space["hp/dropout"]).Log);
        Assert.True(Assert.IsType<FloatParameter>(space["hp/lr"]).Log);
        Assert.True(Assert.IsType<FloatParameter>(space["hp/wd"]).Log);
        Assert.Equal([ParameterValue.Of(0.5), ParameterValue.Of(1.0)], Assert.IsType<CategoricalParameter>(space["hp/mix"]).Choices);
        Assert.True(space.TryGetFixed("weights", out var weights));
        Assert.Equal("w.safetensors", weights.AsString());
        Assert.Equal("test.json", space.SourcePath);
    }

    public static TheoryData<string, string, string, string> BadFiles => new()
    {
        // error class, document, JSON path, words the message must hold
        { "invalid JSON", "{\"name\": \"x\",", "$", "not valid JSON" },
        { "root not an object", "[1, 2]", "$", "a JSON object" },
        { "missing field", "{\"kind\": \"macro\", " + Hp + "}", "$.name", "the field is missing" },
        { "missing hyperparameters", "{\"name\": \"x\", \"kind\": \"macro\"}", "$.hyperparameters", "the field is missing" },
        { "unknown top-level field", "{\"name\": \"x\", \"kind\": \"macro\", \"extra\": 1, " + Hp + "}", "$.extra", "unknown field 'extra'" },
        { "unknown parameter field", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"lr\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"lo\": 2}}}", "$.hyperparameters.lr.lo", "unknown field 'lo'" },
        { "field of another type", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"lr\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"step\": 2}}}", "$.hyperparameters.lr.step", "unknown field 'step' in a float parameter" },
        { "unknown kind", "{\"name\": \"x\", \"kind\": \"graph\", " + Hp + "}", "$.kind", "one of \"cell\", \"macro\", \"transfer\"" },
        { "unknown type", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"lr\": {\"type\": \"logfloat\", \"low\": 0.1, \"high\": 1}}}", "$.hyperparameters.lr.type", "unknown parameter type" },
        { "missing type", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"lr\": {\"low\": 0.1, \"high\": 1}}}", "$.hyperparameters.lr.type", "the field is missing" },
        { "wrong JSON type", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"lr\": {\"type\": \"float\", \"low\": \"0.1\", \"high\": 1}}}", "$.hyperparameters.lr.low", "expected a number" },
        { "fractional int", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"epochs\": {\"type\": \"int\", \"low\": 1.5, \"high\": 4}}}", "$.hyperparameters.epochs.low", "expected an integer" },
        { "low above high", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"learning_rate\": {\"type\": \"float\", \"low\": 0.5, \"high\": 0.1}}}", "$.hyperparameters.learning_rate.low", "low is above high" },
        { "int low above high", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"epochs\": {\"type\": \"int\", \"low\": 9, \"high\": 3}}}", "$.hyperparameters.epochs.low", "low is above high" },
        { "log range with low 0", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"learning_rate\": {\"type\": \"log_float\", \"low\": 0, \"high\": 0.1}}}", "$.hyperparameters.learning_rate.low", "a log range needs a positive low" },
        { "log float with negative low", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"wd\": {\"type\": \"float\", \"low\": -1, \"high\": 0.1, \"log\": true}}}", "$.hyperparameters.wd.low", "a log range needs a positive low" },
        { "log int with low 0", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"batch\": {\"type\": \"int\", \"low\": 0, \"high\": 64, \"log\": true}}}", "$.hyperparameters.batch.low", "a log range needs a positive low" },
        { "step not dividing", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"epochs\": {\"type\": \"int\", \"low\": 1, \"high\": 10, \"step\": 4}}}", "$.hyperparameters.epochs.step", "does not divide" },
        { "step zero", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"epochs\": {\"type\": \"int\", \"low\": 1, \"high\": 10, \"step\": 0}}}", "$.hyperparameters.epochs.step", "must be positive" },
        { "empty choices", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"optimizer\": {\"type\": \"categorical\", \"choices\": []}}}", "$.hyperparameters.optimizer.choices", "at least one choice" },
        { "duplicate choice", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"optimizer\": {\"type\": \"categorical\", \"choices\": [\"sgd\", \"sgd\"]}}}", "$.hyperparameters.optimizer.choices[1]", "duplicate value" },
        { "mixed choices", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"optimizer\": {\"type\": \"categorical\", \"choices\": [\"sgd\", 1]}}}", "$.hyperparameters.optimizer.choices[1]", "mix kinds" },
        { "choice not a scalar", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"optimizer\": {\"type\": \"categorical\", \"choices\": [[1]]}}}", "$.hyperparameters.optimizer.choices[0]", "not a single value" },
        { "duplicate key", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"lr\": {\"type\": \"float\", \"low\": 0, \"high\": 1}, \"lr\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}", "$.hyperparameters.lr", "duplicate name 'lr'" },
        { "name in two sections", "{\"name\": \"x\", \"kind\": \"macro\", \"architecture\": {\"lr\": {\"type\": \"int\", \"low\": 1, \"high\": 2}}, " + Hp + "}", "$.hyperparameters.lr", "already used at $.architecture.lr" },
        { "bad parameter name", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"Learning Rate\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}", "$.hyperparameters['Learning Rate']", "name is not allowed" },
        { "condition on unknown parameter", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"momentum\": {\"type\": \"float\", \"low\": 0.8, \"high\": 0.99, \"when\": {\"optimiser\": \"sgd\"}}}}", "$.hyperparameters.momentum.when.optimiser", "unknown parameter" },
        { "condition on unknown value", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"optimizer\": {\"type\": \"categorical\", \"choices\": [\"sgd\", \"adamw\"]}, \"momentum\": {\"type\": \"float\", \"low\": 0.8, \"high\": 0.99, \"when\": {\"optimizer\": [\"adamw\", \"sdg\"]}}}}", "$.hyperparameters.momentum.when.optimizer[1]", "never has this value" },
        { "condition on continuous", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"lr\": {\"type\": \"float\", \"low\": 0, \"high\": 1}, \"m\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"when\": {\"lr\": 0.5}}}}", "$.hyperparameters.m.when.lr", "continuous parameter" },
        { "condition on itself", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"a\": {\"type\": \"int\", \"low\": 0, \"high\": 1, \"when\": {\"a\": 1}}}}", "$.hyperparameters.a.when.a", "cannot depend on itself" },
        { "cycle in conditions", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"a\": {\"type\": \"int\", \"low\": 0, \"high\": 1, \"when\": {\"b\": 1}}, \"b\": {\"type\": \"int\", \"low\": 0, \"high\": 1, \"when\": {\"c\": 0}}, \"c\": {\"type\": \"int\", \"low\": 0, \"high\": 1, \"when\": {\"a\": 1}}}}", "$.hyperparameters.c.when.a", "cycle: a → b → c → a" },
        { "empty condition", "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"a\": {\"type\": \"int\", \"low\": 0, \"high\": 1, \"when\": {}}}}", "$.hyperparameters.a.when", "at least one parameter" },
        { "cell space without cell", "{\"name\": \"x\", \"kind\": \"cell\", " + Hp + "}", "$.cell", "the field is missing" },
        { "macro space with cell", "{\"name\": \"x\", \"kind\": \"macro\", \"cell\": {\"blocks\": 4, \"ops\": [\"none\"]}, " + Hp + "}", "$.cell", "a macro space has no cell section" },
        { "B zero", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 0, \"ops\": [\"none\"]}, " + Hp + "}", "$.cell.blocks", "bad number of blocks" },
        { "B too large", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 40, \"ops\": [\"none\"]}, " + Hp + "}", "$.cell.blocks", "from 1 to 12" },
        { "B not an integer", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": \"4\", \"ops\": [\"none\"]}, " + Hp + "}", "$.cell.blocks", "expected an integer" },
        { "unknown op", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 4, \"ops\": [\"none\", \"sep_conv_9x9\"]}, " + Hp + "}", "$.cell.ops[1]", "unknown op name" },
        { "duplicate op", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 4, \"ops\": [\"none\", \"none\"]}, " + Hp + "}", "$.cell.ops[1]", "duplicate op name" },
        { "empty ops", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 4, \"ops\": []}, " + Hp + "}", "$.cell.ops", "non-empty array" },
        { "unknown cell", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 4, \"ops\": [\"none\"], \"cells\": [\"normal\", \"reduce\"]}, " + Hp + "}", "$.cell.cells[1]", "unknown cell" },
        { "unknown cell field", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"B\": 4, \"ops\": [\"none\"]}, " + Hp + "}", "$.cell.B", "unknown field 'B'" },
        { "cell condition on unknown value", "{\"name\": \"x\", \"kind\": \"transfer\", \"architecture\": {\"head\": {\"type\": \"categorical\", \"choices\": [\"linear\"]}}, \"cell\": {\"blocks\": 2, \"ops\": [\"none\"], \"when\": {\"head\": \"cell\"}}, " + Hp + "}", "$.cell.when.head", "never has this value" },
        { "unknown concat rule", "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 4, \"ops\": [\"none\"], \"concat\": \"used\"}, " + Hp + "}", "$.cell.concat", "unknown concat rule" },
        { "bound not positive", "{\"name\": \"x\", \"kind\": \"macro\", \"maxParams\": 0, " + Hp + "}", "$.maxParams", "must be positive" },
        { "fixed not a scalar", "{\"name\": \"x\", \"kind\": \"macro\", \"fixed\": {\"weights\": {\"path\": 1}}, " + Hp + "}", "$.fixed.weights", "single value" },
        { "fixed shadows a parameter", "{\"name\": \"x\", \"kind\": \"macro\", \"fixed\": {\"lr\": 0.1}, " + Hp + "}", "$.fixed.lr", "already a searched parameter" },
        { "bad space name", "{\"name\": \"My Space\", \"kind\": \"macro\", " + Hp + "}", "$.name", "name is not allowed" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_refused_naming_the_file_the_json_path_and_what_is_wrong(string errorClass, string json, string jsonPath, string words)
    {
        var path = Path.Combine(Path.GetTempPath(), $"autonet-space-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var error = Assert.Throws<SearchSpaceException>(() => new SearchSpaceReader().Load(path));

            Assert.True(jsonPath == error.JsonPath, $"{errorClass}: path {error.JsonPath}, expected {jsonPath} ({error.Message})");
            Assert.Contains(words, error.Message, StringComparison.Ordinal);
            Assert.StartsWith(path + ": " + jsonPath + ": ", error.Message, StringComparison.Ordinal);
            Assert.Equal(path, error.SourcePath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_error_gives_the_bad_value_and_what_was_allowed()
    {
        var error = Assert.Throws<SearchSpaceException>(() => TestSpaces.Parse(
            "{\"name\": \"x\", \"kind\": \"macro\", \"hyperparameters\": {\"learning_rate\": {\"type\": \"log_float\", \"low\": 0, \"high\": 0.1}}}"));

        Assert.Equal("0", error.Value);
        Assert.Equal("a number > 0 (log scale)", error.Expected);
        Assert.Equal("test.json: $.hyperparameters.learning_rate.low: a log range needs a positive low; got 0; expected a number > 0 (log scale)", error.Message);
    }

    [Fact]
    public void An_unknown_op_error_lists_the_ops_of_the_registry()
    {
        var error = Assert.Throws<SearchSpaceException>(() => TestSpaces.Parse(
            "{\"name\": \"x\", \"kind\": \"cell\", \"cell\": {\"blocks\": 2, \"ops\": [\"sep_conv3x3\"]}, " + Hp + "}"));

        Assert.Equal("\"sep_conv3x3\"", error.Value);
        Assert.Contains("\"sep_conv_3x3\"", error.Expected, StringComparison.Ordinal);
        Assert.Contains("\"conv_7x1_1x7\"", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"autonet-missing-{Guid.NewGuid():N}.json");

        var error = Assert.Throws<SearchSpaceException>(() => new SearchSpaceReader().Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_are_allowed_in_a_space_file()
    {
        var space = TestSpaces.Parse("{\n// a comment\n\"name\": \"x\", \"kind\": \"macro\", " + Hp + "}");

        Assert.Equal(["hp/lr"], space.Decisions.Select(d => d.Label));
    }
}
