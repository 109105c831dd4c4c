using AutoNet.Torch.Optim;
using AutoNet.Torch.Optim.Schedules;
using AutoNet.Torch.Tests.Reference;
using static AutoNet.Torch.Tests.Optim.OptimReferenceFixture;

namespace AutoNet.Torch.Tests.Optim;

/// <summary>SGD, AdamW, the schedules and gradient clipping against PyTorch 1.13 on the same parameters and gradients.</summary>
public sealed class OptimizerParityTests : IClassFixture<OptimReferenceFixture>
{
    private readonly OptimReferenceFixture reference;

    public OptimizerParityTests(OptimReferenceFixture reference) => this.reference = reference;

    public static TheoryData<string> OptimizerNames => new(OptimizerCases.Select(c => c.Name));

    public static TheoryData<string> ScheduleNames => new(ScheduleCases.Select(c => c.Name));

    public static TheoryData<string> ClipNames => new(ClipCases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void Parameter_trajectory_matches_torch_optim(string name)
    {
        using var scope = Torch.NewDisposeScope();
        var spec = OptimizerCases.Single(c => c.Name == name);
        var parameters = reference.Params.Select(p => p.Clone().RequiresGrad_()).ToArray();
        using var optimizer = Create(spec, parameters);
        var expected = reference.Reply["optimizers"]![name]!.AsArray();
        Assert.Equal(Steps, expected.Count);
        for (var s = 0; s < Steps; s++)
        {
            SetGrads(parameters, reference.Grads[s % reference.Grads.Length], i => spec.Dropped(s, i));
            optimizer.Step();
            for (var i = 0; i < parameters.Length; i++)
            {
                TensorAssert.Close(PythonReference.Decode(expected[s]![i]!), parameters[i], rtol: 1e-6, atol: 1e-7, what: $"{name} step {s + 1} param {i}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void Restoring_state_after_three_steps_continues_exactly_like_the_uninterrupted_run(string name)
    {
        using var scope = Torch.NewDisposeScope();
        var spec = OptimizerCases.Single(c => c.Name == name);
        var straight = reference.Params.Select(p => p.Clone().RequiresGrad_()).ToArray();
        using var uninterrupted = Create(spec, straight);
        var first = reference.Params.Select(p => p.Clone().RequiresGrad_()).ToArray();
        using var before = Create(spec, first);
        for (var s = 0; s < 3; s++)
        {
            SetGrads(straight, reference.Grads[s % 3], i => spec.Dropped(s, i));
            uninterrupted.Step();
            SetGrads(first, reference.Grads[s % 3], i => spec.Dropped(s, i));
            before.Step();
        }

        using var saved = before.StateDict();
        // The saved state is a copy: stepping the old optimizer further must not change it.
        SetGrads(first, reference.Grads[1]);
        before.Step();

        var resumed = first.Select((p, i) => straight[i].Detach().Clone().RequiresGrad_()).ToArray();
        using var after = Create(spec, resumed);
        after.LoadStateDict(saved);
        for (var s = 3; s < Steps; s++)
        {
            SetGrads(straight, reference.Grads[s % 3], i => spec.Dropped(s, i));
            uninterrupted.Step();
            SetGrads(resumed, reference.Grads[s % 3], i => spec.Dropped(s, i));
            after.Step();
            for (var i = 0; i < straight.Length; i++)
            {
                Assert.True(straight[i].Equal(resumed[i]), $"{name}: parameter {i} differs after resumed step {s + 1}");
            }
        }
    }

    [Fact]
    public void A_fresh_optimizer_without_the_state_diverges_from_the_uninterrupted_run()
    {
        // Guards the resume test above: with momentum, losing the state must show.
        using var scope = Torch.NewDisposeScope();
        var spec = OptimizerCases.Single(c => c.Name == "sgd_momentum");
        var straight = reference.Params.Select(p => p.Clone().RequiresGrad_()).ToArray();
        using var uninterrupted = Create(spec, straight);
        for (var s = 0; s < 3; s++)
        {
            SetGrads(straight, reference.Grads[s]);
            uninterrupted.Step();
        }

        var resumed = straight.Select(p => p.Detach().Clone().RequiresGrad_()).ToArray();
        using var fresh = Create(spec, resumed);
        SetGrads(straight, reference.Grads[0]);
        uninterrupted.Step();
        SetGrads(resumed, reference.Grads[0]);
        fresh.Step();
        Assert.False(straight[0].Equal(resumed[0]));
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Learning_rate_sequence_matches_torch_scheduler(string name)
    {
        using var scope = Torch.NewDisposeScope();
        var spec = ScheduleCases.Single(c => c.Name == name);
        var parameter = Torch.Zeros(new long[] { 1 }).RequiresGrad_();
        using var optimizer = new SGD(new[] { parameter }, spec.LearningRate);
        var scheduler = CreateSchedule(spec, optimizer);
        var expected = reference.Reply["schedules"]![name]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        Assert.Equal(spec.Steps + 1, expected.Length);
        for (var s = 0; s <= spec.Steps; s++)
        {
            if (s > 0)
            {
                optimizer.Step();
                scheduler.Step();
            }

            var actual = optimizer.ParamGroups[0].LearningRate;
            Assert.True(Math.Abs(actual - expected[s]) <= 1e-9 * Math.Max(1, Math.Abs(expected[s])),
                $"{name} step {s}: lr {actual:R}, torch {expected[s]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Schedule_state_restores_into_a_new_scheduler(string name)
    {
        using var scope = Torch.NewDisposeScope();
        var spec = ScheduleCases.Single(c => c.Name == name);
        var parameter = Torch.Zeros(new long[] { 1 }).RequiresGrad_();
        using var optimizer = new SGD(new[] { parameter }, spec.LearningRate);
        var scheduler = CreateSchedule(spec, optimizer);
        for (var s = 0; s < spec.Steps / 2; s++)
        {
            scheduler.Step();
        }

        var state = scheduler.StateDict();
        var rate = optimizer.ParamGroups[0].LearningRate;
        using var otherOptimizer = new SGD(new[] { parameter }, spec.LearningRate);
        var other = CreateSchedule(spec, otherOptimizer);
        Assert.NotEqual(rate, otherOptimizer.ParamGroups[0].LearningRate);
        other.LoadStateDict(state);
        Assert.Equal(rate, otherOptimizer.ParamGroups[0].LearningRate);
        scheduler.Step();
        other.Step();
        Assert.Equal(optimizer.ParamGroups[0].LearningRate, otherOptimizer.ParamGroups[0].LearningRate);
    }

    [Theory]
    [MemberData(nameof(ClipNames))]
    public void Gradient_clipping_matches_torch_nn_utils(string name)
    {
        using var scope = Torch.NewDisposeScope();
        var spec = ClipCases.Single(c => c.Name == name);
        var parameters = reference.Params.Select(p => p.Clone().RequiresGrad_()).ToArray();
        SetGrads(parameters, reference.Grads[0]);
        var expected = reference.Reply["clips"]![name]!;
        if (spec.ClipValue is { } value)
        {
            GradClipping.ClipGradValue(parameters, value);
        }
        else
        {
            var norm = GradClipping.ClipGradNorm(parameters, spec.MaxNorm, spec.NormType == "inf" ? double.PositiveInfinity : double.Parse(spec.NormType, System.Globalization.CultureInfo.InvariantCulture));
            var torchNorm = expected["norm"]!.GetValue<double>();
            Assert.True(Math.Abs(norm - torchNorm) <= 1e-6 * torchNorm, $"{name}: norm {norm:R}, torch {torchNorm:R}");
        }

        var grads = expected["grads"]!.AsArray();
        for (var i = 0; i < parameters.Length; i++)
        {
            TensorAssert.Close(PythonReference.Decode(grads[i]!), parameters[i].Grad!, rtol: 1e-6, atol: 1e-7, what: $"{name} grad {i}");
        }
    }

    internal static Optimizer Create(OptimizerCase spec, Tensor[] parameters)
    {
        var groups = spec.Groups.Select(g => new ParamGroup(g.Indices.Select(i => parameters[i]), g.LearningRate, g.WeightDecay)).ToArray();
        return spec.Kind switch
        {
            "SGD" => new SGD(groups, spec.Get("lr", double.NaN), spec.Get("momentum", 0), spec.Get("dampening", 0),
                spec.Get("weight_decay", 0), spec.Get("nesterov", 0) != 0, spec.Get("maximize", 0) != 0),
            "AdamW" => new AdamW(groups, spec.Get("lr", 1e-3), spec.Get("beta1", 0.9), spec.Get("beta2", 0.999), spec.Get("eps", 1e-8),
                spec.Get("weight_decay", 1e-2), spec.Get("maximize", 0) != 0),
            _ => throw new ArgumentException(spec.Kind),
        };
    }

    private static LRScheduler CreateSchedule(ScheduleCase spec, Optimizer optimizer)
    {
        var k = spec.Kwargs;
        return spec.Kind switch
        {
            "StepLR" => new StepLR(optimizer, (long)k["step_size"], k["gamma"]),
            "OneCycleLR" => new OneCycleLR(optimizer, k["max_lr"], (long)k["total_steps"], k.GetValueOrDefault("pct_start", 0.3),
                k.GetValueOrDefault("div_factor", 25), k.GetValueOrDefault("final_div_factor", 1e4)),
            "WarmupCosine" => new WarmupCosineLR(optimizer, (long)k["warmup"], (long)k["total"], k["min_factor"]),
            _ => throw new ArgumentException(spec.Kind),
        };
    }

    internal static void SetGrads(Tensor[] parameters, Tensor[] grads, Func<int, bool>? dropped = null)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Grad = dropped?.Invoke(i) == true ? null : grads[i].Clone();
        }
    }
}
