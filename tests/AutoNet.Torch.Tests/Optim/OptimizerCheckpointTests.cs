using AutoNet.Torch.Optim;
using AutoNet.Torch.Optim.Schedules;
using AutoNet.Torch.Safetensors;

namespace AutoNet.Torch.Tests.Optim;

public sealed class OptimizerCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autonet-optim-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void AdamW_and_its_schedule_resume_exactly_from_a_safetensors_checkpoint()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(4);
        var w0 = Torch.Randn(new long[] { 4, 3 });
        var grads = Enumerable.Range(0, 8).Select(_ => Torch.Randn(new long[] { 4, 3 })).ToArray();
        var straight = w0.Clone().RequiresGrad_();
        using var uninterrupted = new AdamW(new[] { straight }, 0.05);
        var straightSchedule = new OneCycleLR(uninterrupted, 0.1, totalSteps: 8);
        var path = Path.Combine(folder, "optim.safetensors");
        Dictionary<string, double>? scheduleState = null;
        Tensor? checkpointWeights = null;
        for (var s = 0; s < 8; s++)
        {
            straight.Grad = grads[s].Clone();
            uninterrupted.Step();
            straightSchedule.Step();
            if (s == 3)
            {
                using var state = uninterrupted.StateDict();
                state.Save(path, new Dictionary<string, string> { ["note"] = "kept" });
                scheduleState = straightSchedule.StateDict();
                checkpointWeights = straight.Detach().Clone();
            }
        }

        var resumed = checkpointWeights!.Clone().RequiresGrad_();
        using var optimizer = new AdamW(new[] { resumed }, 0.05);
        var schedule = new OneCycleLR(optimizer, 0.1, totalSteps: 8);
        using (var loaded = OptimizerState.Load(path))
        {
            Assert.Equal(new[] { "state.0.0.exp_avg", "state.0.0.exp_avg_sq" }, loaded.Tensors.Keys.Order());
            Assert.Equal(4, loaded.Scalars["state.0.0.step"]);
            optimizer.LoadStateDict(loaded);
        }

        schedule.LoadStateDict(scheduleState!);
        Assert.Equal(4, optimizer.StepCount(0, 0));
        for (var s = 4; s < 8; s++)
        {
            resumed.Grad = grads[s].Clone();
            optimizer.Step();
            schedule.Step();
        }

        Assert.True(straight.Equal(resumed));
        Assert.Equal(uninterrupted.ParamGroups[0].LearningRate, optimizer.ParamGroups[0].LearningRate);
        Assert.Equal("kept", SafetensorsFile.ReadHeader(path).Metadata["note"]);
    }

    [Fact]
    public void Loading_state_into_a_different_parameter_layout_is_refused()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Torch.Ones(new long[] { 3 }).RequiresGrad_();
        using var first = new SGD(new[] { a }, 0.1, momentum: 0.9);
        a.Grad = Torch.Ones(new long[] { 3 });
        first.Step();
        using var state = first.StateDict();

        var b = Torch.Ones(new long[] { 4 }).RequiresGrad_();
        using var wrongShape = new SGD(new[] { b }, 0.1, momentum: 0.9);
        Assert.Contains("shape", Assert.Throws<ArgumentException>(() => wrongShape.LoadStateDict(state)).Message);

        var c = Torch.Ones(new long[] { 3 }).RequiresGrad_();
        var d = Torch.Ones(new long[] { 3 }).RequiresGrad_();
        using var wrongCount = new SGD(new[] { c, d }, 0.1, momentum: 0.9);
        Assert.Contains("parameters", Assert.Throws<ArgumentException>(() => wrongCount.LoadStateDict(state)).Message);
    }
}
