using System.Text.Json.Nodes;
using AutoNet.Torch.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Optim;

/// <summary>
/// Fixed parameters and gradients, and PyTorch's answers for every optimizer, schedule and clipping case of
/// <see cref="OptimizerParityTests"/>, from one run of optim_reference.py.
/// </summary>
public sealed class OptimReferenceFixture : IDisposable
{
    public const int Steps = 7;

    public OptimReferenceFixture()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        Params = new[] { new long[] { 3, 4 }, new long[] { 5 }, new long[] { 2, 2, 2 } }
            .Select(s => torch.randn(s).DetachFromDisposeScope()).ToArray();
        Grads = Enumerable.Range(0, 3)
            .Select(_ => Params.Select(p => torch.randn(p.shape).mul(2.0).DetachFromDisposeScope()).ToArray()).ToArray();
        var request = new JsonObject
        {
            ["params"] = new JsonArray(Params.Select(p => (JsonNode)PythonReference.Encode(p)).ToArray()),
            ["grads"] = new JsonArray(Grads.Select(set => (JsonNode)new JsonArray(set.Select(g => (JsonNode)PythonReference.Encode(g)).ToArray())).ToArray()),
            ["optimizers"] = new JsonArray(OptimizerCases.Select(c => (JsonNode)c.ToJson()).ToArray()),
            ["schedules"] = new JsonArray(ScheduleCases.Select(c => (JsonNode)c.ToJson()).ToArray()),
            ["clips"] = new JsonArray(ClipCases.Select(c => (JsonNode)c.ToJson()).ToArray()),
        };
        Reply = PythonReference.Run("optim_reference.py", request);
    }

    /// <summary>(step, parameter) pairs without a gradient: parameter 1 misses its first two steps, parameter 2 step 4.</summary>
    public static int[][] MissingGrads { get; } = { new[] { 0, 1 }, new[] { 1, 1 }, new[] { 4, 2 } };

    public static IReadOnlyList<OptimizerCase> OptimizerCases { get; } = new[]
    {
        OptimizerCase.Sgd("sgd_plain", new() { ["lr"] = 0.1 }),
        OptimizerCase.Sgd("sgd_momentum", new() { ["lr"] = 0.05, ["momentum"] = 0.9 }),
        OptimizerCase.Sgd("sgd_nesterov", new() { ["lr"] = 0.05, ["momentum"] = 0.8, ["nesterov"] = 1 }),
        OptimizerCase.Sgd("sgd_weight_decay", new() { ["lr"] = 0.1, ["momentum"] = 0.5, ["weight_decay"] = 0.01 }),
        OptimizerCase.Sgd("sgd_dampening", new() { ["lr"] = 0.1, ["momentum"] = 0.9, ["dampening"] = 0.3 }),
        OptimizerCase.Sgd("sgd_maximize", new() { ["lr"] = 0.1, ["momentum"] = 0.9, ["maximize"] = 1 }),
        OptimizerCase.Sgd("sgd_groups", new() { ["lr"] = 0.1, ["momentum"] = 0.9, ["weight_decay"] = 0.02 },
            new GroupSpec(new[] { 0 }, 0.3, null), new GroupSpec(new[] { 1, 2 }, null, 0.1)),
        OptimizerCase.Adam("adamw_default", new() { ["lr"] = 1e-2 }),
        OptimizerCase.Adam("adamw_betas_eps_decay", new() { ["lr"] = 3e-2, ["beta1"] = 0.8, ["beta2"] = 0.95, ["eps"] = 1e-6, ["weight_decay"] = 0.1 }),
        OptimizerCase.Adam("adamw_groups", new() { ["lr"] = 1e-2, ["weight_decay"] = 0.05 },
            new GroupSpec(new[] { 2, 0 }, 0.05, 0), new GroupSpec(new[] { 1 }, null, null)),
        OptimizerCase.Sgd("sgd_momentum_missing_grads", new() { ["lr"] = 0.05, ["momentum"] = 0.9, ["weight_decay"] = 0.01 }) with { Drop = MissingGrads },
        OptimizerCase.Adam("adamw_missing_grads", new() { ["lr"] = 2e-2 }) with { Drop = MissingGrads },
    };

    public static IReadOnlyList<ScheduleCase> ScheduleCases { get; } = new[]
    {
        new ScheduleCase("step", "StepLR", 0.5, 25, new() { ["step_size"] = 4, ["gamma"] = 0.3 }),
        new ScheduleCase("one_cycle", "OneCycleLR", 0.1, 100, new() { ["max_lr"] = 0.8, ["total_steps"] = 100 }),
        new ScheduleCase("one_cycle_options", "OneCycleLR", 0.1, 37,
            new() { ["max_lr"] = 2.0, ["total_steps"] = 37, ["pct_start"] = 0.25, ["div_factor"] = 10, ["final_div_factor"] = 100 }),
        new ScheduleCase("warmup_cosine", "WarmupCosine", 0.4, 60, new() { ["warmup"] = 10, ["total"] = 50, ["min_factor"] = 0.05 }),
    };

    public static IReadOnlyList<ClipCase> ClipCases { get; } = new[]
    {
        new ClipCase("norm2", 1.5, "2", null),
        new ClipCase("norm1", 3.0, "1", null),
        new ClipCase("norm_inf", 0.5, "inf", null),
        new ClipCase("norm_not_reached", 1e6, "2", null),
        new ClipCase("value", 0, "2", 0.7),
    };

    public Tensor[] Params { get; }

    public Tensor[][] Grads { get; }

    public JsonNode Reply { get; }

    public void Dispose()
    {
        foreach (var t in Params.Concat(Grads.SelectMany(g => g)))
        {
            t.Dispose();
        }
    }

    public sealed record GroupSpec(int[] Indices, double? LearningRate, double? WeightDecay);

    public sealed record OptimizerCase(string Name, string Kind, Dictionary<string, double> Options, GroupSpec[] Groups)
    {
        public int[][] Drop { get; init; } = Array.Empty<int[]>();

        public bool Dropped(int step, int index) => Drop.Any(d => d[0] == step && d[1] == index);

        public static OptimizerCase Sgd(string name, Dictionary<string, double> options, params GroupSpec[] groups) =>
            new(name, "SGD", options, groups.Length == 0 ? new[] { new GroupSpec(new[] { 0, 1, 2 }, null, null) } : groups);

        public static OptimizerCase Adam(string name, Dictionary<string, double> options, params GroupSpec[] groups) =>
            new(name, "AdamW", options, groups.Length == 0 ? new[] { new GroupSpec(new[] { 0, 1, 2 }, null, null) } : groups);

        public double Get(string key, double fallback) => Options.TryGetValue(key, out var v) ? v : fallback;

        public JsonObject ToJson()
        {
            var options = new JsonObject();
            foreach (var (key, value) in Options)
            {
                switch (key)
                {
                    case "nesterov" or "maximize":
                        options[key] = value != 0;
                        break;
                    case "beta1" or "beta2":
                        break;
                    default:
                        options[key] = value;
                        break;
                }
            }

            if (Kind == "AdamW")
            {
                options["betas"] = new JsonArray(Get("beta1", 0.9), Get("beta2", 0.999));
            }

            var groups = new JsonArray();
            foreach (var g in Groups)
            {
                var group = new JsonObject { ["indices"] = new JsonArray(g.Indices.Select(i => (JsonNode)i).ToArray()) };
                if (g.LearningRate is { } lr)
                {
                    group["lr"] = lr;
                }

                if (g.WeightDecay is { } wd)
                {
                    group["weight_decay"] = wd;
                }

                groups.Add(group);
            }

            return new JsonObject { ["name"] = Name, ["kind"] = Kind, ["options"] = options, ["groups"] = groups, ["steps"] = Steps,
                ["drop"] = new JsonArray(Drop.Select(d => (JsonNode)new JsonArray(d[0], d[1])).ToArray()) };
        }
    }

    public sealed record ScheduleCase(string Name, string Kind, double LearningRate, int Steps, Dictionary<string, double> Kwargs)
    {
        public JsonObject ToJson()
        {
            var kwargs = new JsonObject();
            foreach (var (key, value) in Kwargs)
            {
                kwargs[key] = key is "step_size" or "total_steps" or "warmup" or "total" ? (JsonNode)(long)value : value;
            }

            return new JsonObject { ["name"] = Name, ["kind"] = Kind, ["lr"] = LearningRate, ["kwargs"] = kwargs, ["steps"] = Steps };
        }
    }

    public sealed record ClipCase(string Name, double MaxNorm, string NormType, double? ClipValue)
    {
        public JsonObject ToJson() => ClipValue is { } v
            ? new JsonObject { ["name"] = Name, ["clip_value"] = v }
            : new JsonObject { ["name"] = Name, ["max_norm"] = MaxNorm, ["norm_type"] = NormType };
    }
}
