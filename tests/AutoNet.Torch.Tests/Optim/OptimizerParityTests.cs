using AutoNet.Torch.Optimizers;
using AutoNet.Torch.Schedules;
using AutoNet.Torch.Tests.Reference;
using AutoNet.Torch.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static AutoNet.Torch.Tests.Optim.OptimReferenceFixture;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Optim;

/// <summary>
/// AutoNet's SGD and AdamW (TorchSharp's, with scalars that cannot be finalized mid-step), AutoNet's schedules over them, and TorchSharp's gradient clipping against PyTorch
/// 1.13's torch.optim on the same parameters and gradients; optimizer state through <see cref="OptimizerStateFile"/>.
/// </summary>
[Collection(LiveTensorCollection.Name)]
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
        using var scope = torch.NewDisposeScope();
        var spec = OptimizerCases.Single(c => c.Name == name);
        var parameters = Fresh(reference.Params);
        using var optimizer = Create(spec, parameters);
        var expected = reference.Reply["optimizers"]![name]!.AsArray();
        Assert.Equal(Steps, expected.Count);
        for (var s = 0; s < Steps; s++)
        {
            SetGrads(parameters, reference.Grads[s % reference.Grads.Length], i => spec.Dropped(s, i));
            optimizer.step();
            for (var i = 0; i < parameters.Length; i++)
            {
                // libtorch 2.10 against PyTorch 1.13, element-wise float32 updates in the same order: 1e-6 relative holds.
                TensorAssert.Close(PythonReference.Decode(expected[s]![i]!), parameters[i], rtol: 1e-6, atol: 1e-7, what: $"{name} step {s + 1} param {i}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void Restoring_saved_state_after_three_steps_continues_exactly_like_the_uninterrupted_run(string name)
    {
        using var scope = torch.NewDisposeScope();
        var spec = OptimizerCases.Single(c => c.Name == name);
        var straight = Fresh(reference.Params);
        using var uninterrupted = Create(spec, straight);
        var first = Fresh(reference.Params);
        using var before = Create(spec, first);
        for (var s = 0; s < 3; s++)
        {
            SetGrads(straight, reference.Grads[s % 3], i => spec.Dropped(s, i));
            uninterrupted.step();
            SetGrads(first, reference.Grads[s % 3], i => spec.Dropped(s, i));
            before.step();
        }

        var saved = OptimizerStateFile.ToBytes(before);
        // The saved state is a copy: stepping the old optimizer further must not change it.
        SetGrads(first, reference.Grads[1]);
        before.step();

        var resumed = Fresh(straight);
        using var after = Create(spec, resumed);
        OptimizerStateFile.FromBytes(after, saved, "saved state");
        for (var s = 3; s < Steps; s++)
        {
            SetGrads(straight, reference.Grads[s % 3], i => spec.Dropped(s, i));
            uninterrupted.step();
            SetGrads(resumed, reference.Grads[s % 3], i => spec.Dropped(s, i));
            after.step();
            for (var i = 0; i < straight.Length; i++)
            {
                Assert.True(straight[i].equal(resumed[i]).all().item<bool>(), $"{name}: parameter {i} differs after resumed step {s + 1}");
            }
        }
    }

    [Fact]
    public void A_fresh_optimizer_without_the_state_diverges_from_the_uninterrupted_run()
    {
        // Guards the resume test above: with momentum, losing the state must show.
        using var scope = torch.NewDisposeScope();
        var spec = OptimizerCases.Single(c => c.Name == "sgd_momentum");
        var straight = Fresh(reference.Params);
        using var uninterrupted = Create(spec, straight);
        for (var s = 0; s < 3; s++)
        {
            SetGrads(straight, reference.Grads[s]);
            uninterrupted.step();
        }

        var resumed = Fresh(straight);
        using var fresh = Create(spec, resumed);
        SetGrads(straight, reference.Grads[0]);
        uninterrupted.step();
        SetGrads(resumed, reference.Grads[0]);
        fresh.step();
        Assert.False(straight[0].equal(resumed[0]).all().item<bool>());
    }

    [Fact]
    public void State_of_another_optimizer_or_a_damaged_state_is_refused_naming_its_source()
    {
        using var scope = torch.NewDisposeScope();
        var parameters = Fresh(reference.Params);
        using var sgd = Create(OptimizerCases.Single(c => c.Name == "sgd_momentum"), parameters);
        using var adam = Create(OptimizerCases.Single(c => c.Name == "adamw_default"), Fresh(reference.Params));
        var adamState = OptimizerStateFile.ToBytes(adam);

        var other = Assert.Throws<WeightsFileException>(() => OptimizerStateFile.FromBytes(sgd, adamState, "adam.bin"));
        Assert.Equal("adam.bin", other.FilePath);
        Assert.Contains("SGD", other.Message);

        var truncated = Assert.Throws<WeightsFileException>(() => OptimizerStateFile.FromBytes(adam, adamState[..^9], "cut.bin"));
        Assert.StartsWith("cut.bin", truncated.Message);

        using var twoGroups = Create(OptimizerCases.Single(c => c.Name == "sgd_groups"), Fresh(reference.Params));
        var layout = Assert.Throws<WeightsFileException>(() => OptimizerStateFile.FromBytes(twoGroups, OptimizerStateFile.ToBytes(sgd), "one-group.bin"));
        Assert.Contains("parameter groups", layout.Message);
    }

    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("adamw_default")]
    public void Steps_inside_a_scope_keep_the_live_count_and_disposing_the_optimizer_frees_its_state(string name)
    {
        var parameters = Fresh(reference.Params);
        var before = TorchEngine.CountLiveTensors();
        var optimizer = Create(OptimizerCases.Single(c => c.Name == name), parameters);
        long? afterFirst = null;
        for (var s = 0; s < 20; s++)
        {
            using (var scope = torch.NewDisposeScope())
            {
                SetGrads(parameters, reference.Grads[s % 3]);
                optimizer.step();
            }

            afterFirst ??= TorchEngine.CountLiveTensors();
        }

        var afterSteps = TorchEngine.CountLiveTensors();
        optimizer.Dispose();

        Assert.Equal(afterFirst, afterSteps);
        // At most the count before construction: TorchSharp 0.107's AdamW leaves it a few below (its own accounting
        // of the wrappers it disposes), never above.
        Assert.True(TorchEngine.CountLiveTensors() <= before, $"{TorchEngine.CountLiveTensors()} live tensors after disposing the optimizer, {before} before it was made");
        foreach (var parameter in parameters)
        {
            parameter.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Learning_rate_sequence_matches_torch_scheduler(string name)
    {
        using var scope = torch.NewDisposeScope();
        var spec = ScheduleCases.Single(c => c.Name == name);
        using var optimizer = torch.optim.SGD([new Parameter(torch.zeros(1))], spec.LearningRate);
        var schedule = CreateSchedule(spec, optimizer);
        var expected = reference.Reply["schedules"]![name]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        Assert.Equal(spec.Steps + 1, expected.Length);
        for (var s = 0; s <= spec.Steps; s++)
        {
            if (s > 0)
            {
                optimizer.step();
                schedule.Step();
            }

            var actual = optimizer.ParamGroups.Single().LearningRate;
            Assert.True(Math.Abs(actual - expected[s]) <= 1e-9 * Math.Max(1, Math.Abs(expected[s])),
                $"{name} step {s}: lr {actual:R}, torch {expected[s]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void A_schedule_restored_to_a_step_count_continues_like_the_original(string name)
    {
        using var scope = torch.NewDisposeScope();
        var spec = ScheduleCases.Single(c => c.Name == name);
        var parameter = new Parameter(torch.zeros(1));
        using var optimizer = torch.optim.SGD([parameter], spec.LearningRate);
        var schedule = CreateSchedule(spec, optimizer);
        for (var s = 0; s < spec.Steps / 2; s++)
        {
            schedule.Step();
        }

        var rate = optimizer.ParamGroups.Single().LearningRate;
        using var otherOptimizer = torch.optim.SGD([parameter], spec.LearningRate);
        var other = CreateSchedule(spec, otherOptimizer);
        Assert.NotEqual(rate, otherOptimizer.ParamGroups.Single().LearningRate);
        other.Restore(schedule.StepCount);
        Assert.Equal(rate, otherOptimizer.ParamGroups.Single().LearningRate);
        schedule.Step();
        other.Step();
        Assert.Equal(optimizer.ParamGroups.Single().LearningRate, otherOptimizer.ParamGroups.Single().LearningRate);
    }

    [Fact]
    public void A_schedule_scales_every_group_from_its_own_initial_rate()
    {
        using var scope = torch.NewDisposeScope();
        using var optimizer = torch.optim.AdamW(
            [new AdamW.ParamGroup([new Parameter(torch.zeros(2))], lr: 0.1), new AdamW.ParamGroup([new Parameter(torch.zeros(3))], lr: 0.01)]);
        var schedule = new WarmupCosineSchedule(optimizer, warmupSteps: 4, totalSteps: 10);
        Assert.Equal([0.0, 0.0], schedule.LastLearningRates);
        schedule.Step();
        schedule.Step();
        Assert.Equal(0.05, schedule.LastLearningRates[0], 12);
        Assert.Equal(0.005, schedule.LastLearningRates[1], 12);
    }

    [Theory]
    [MemberData(nameof(ClipNames))]
    public void Gradient_clipping_matches_torch_nn_utils(string name)
    {
        using var scope = torch.NewDisposeScope();
        var spec = ClipCases.Single(c => c.Name == name);
        var parameters = Fresh(reference.Params);
        SetGrads(parameters, reference.Grads[0]);
        var expected = reference.Reply["clips"]![name]!;
        if (spec.ClipValue is { } value)
        {
            torch.nn.utils.clip_grad_value_(parameters, value);
        }
        else
        {
            var norm = torch.nn.utils.clip_grad_norm_(parameters, spec.MaxNorm,
                spec.NormType == "inf" ? double.PositiveInfinity : double.Parse(spec.NormType, System.Globalization.CultureInfo.InvariantCulture));
            var torchNorm = expected["norm"]!.GetValue<double>();
            Assert.True(Math.Abs(norm - torchNorm) <= 1e-6 * torchNorm, $"{name}: norm {norm:R}, torch {torchNorm:R}");
        }

        var grads = expected["grads"]!.AsArray();
        for (var i = 0; i < parameters.Length; i++)
        {
            TensorAssert.Close(PythonReference.Decode(grads[i]!), parameters[i].grad!, rtol: 1e-6, atol: 1e-7, what: $"{name} grad {i}");
        }
    }

    internal static OptimizerHelper Create(OptimizerCase spec, Parameter[] parameters) => spec.Kind switch
    {
        "SGD" => new FinalizerSafeSgd(
            spec.Groups.Select(g => new SGD.ParamGroup(g.Indices.Select(i => parameters[i]), new SGD.Options { LearningRate = g.LearningRate, weight_decay = g.WeightDecay })),
            spec.Get("lr", double.NaN), spec.Get("momentum", 0), spec.Get("dampening", 0), spec.Get("weight_decay", 0),
            spec.Get("nesterov", 0) != 0, spec.Get("maximize", 0) != 0),
        "AdamW" => new FinalizerSafeAdamW(
            spec.Groups.Select(g => new AdamW.ParamGroup(g.Indices.Select(i => parameters[i]), new AdamW.Options { LearningRate = g.LearningRate, weight_decay = g.WeightDecay })),
            spec.Get("lr", 1e-3), spec.Get("beta1", 0.9), spec.Get("beta2", 0.999), spec.Get("eps", 1e-8), spec.Get("weight_decay", 1e-2),
            maximize: spec.Get("maximize", 0) != 0),
        _ => throw new ArgumentException(spec.Kind),
    };

    internal static Parameter[] Fresh(IEnumerable<Tensor> values) => values.Select(p => new Parameter(p.detach().clone())).ToArray();

    internal static void SetGrads(Parameter[] parameters, Tensor[] grads, Func<int, bool>? dropped = null)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].grad = dropped?.Invoke(i) == true ? null : grads[i].clone();
        }
    }

    private static LearningRateSchedule CreateSchedule(ScheduleCase spec, torch.optim.Optimizer optimizer)
    {
        var k = spec.Kwargs;
        return spec.Kind switch
        {
            "StepLR" => new StepDecaySchedule(optimizer, (long)k["step_size"], k["gamma"]),
            "OneCycleLR" => new OneCycleSchedule(optimizer, k["max_lr"], (long)k["total_steps"], k.GetValueOrDefault("pct_start", 0.3),
                k.GetValueOrDefault("div_factor", 25), k.GetValueOrDefault("final_div_factor", 1e4)),
            "WarmupCosine" => new WarmupCosineSchedule(optimizer, (long)k["warmup"], (long)k["total"], k["min_factor"]),
            _ => throw new ArgumentException(spec.Kind),
        };
    }
}
