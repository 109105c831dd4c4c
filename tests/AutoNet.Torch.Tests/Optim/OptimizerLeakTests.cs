using AutoNet.Torch.Optim;
using AutoNet.Torch.Optim.Schedules;

namespace AutoNet.Torch.Tests.Optim;

/// <summary>Optimizer state lives exactly as long as the optimizer, even when created inside a dispose scope.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class OptimizerLeakTests
{
    [Fact]
    public void Steps_inside_a_scope_keep_their_state_and_disposing_the_optimizer_frees_it()
    {
        var baseline = Tensor.LiveCount;
        using (var outer = Torch.NewDisposeScope())
        {
            var parameters = new[] { Torch.Randn(new long[] { 5, 2 }).RequiresGrad_(), Torch.Randn(new long[] { 3 }).RequiresGrad_() };
            var sgd = new SGD(parameters, 0.1, momentum: 0.9);
            var adam = new AdamW(parameters, 0.01);
            var schedule = new StepLR(adam, 2);
            long afterFirst = 0;
            for (var s = 0; s < 6; s++)
            {
                using (Torch.NewDisposeScope())
                {
                    foreach (var p in parameters)
                    {
                        p.Grad = Torch.OnesLike(p);
                    }

                    sgd.Step();
                    adam.Step();
                    schedule.Step();
                    GradClipping.ClipGradNorm(parameters, 1.0);
                    sgd.ZeroGrad();
                }

                if (s == 0)
                {
                    afterFirst = Tensor.LiveCount;
                }

                Assert.Equal(afterFirst, Tensor.LiveCount);
            }

            // 2 parameters + 2 momentum buffers + 4 AdamW moments survive the inner scopes.
            Assert.Equal(baseline + 8, Tensor.LiveCount);
            using (var state = adam.StateDict())
            {
                Assert.Equal(4, state.Tensors.Count);
            }

            sgd.Dispose();
            adam.Dispose();
            Assert.Equal(baseline + 2, Tensor.LiveCount);
        }

        Assert.Equal(baseline, Tensor.LiveCount);
    }
}
