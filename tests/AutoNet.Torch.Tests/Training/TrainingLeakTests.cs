using System.Diagnostics;
using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;

namespace AutoNet.Torch.Tests.Training;

/// <summary>A training loop inside dispose scopes holds a constant amount of native memory.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class TrainingLeakTests
{
    [Fact]
    public void Five_thousand_steps_leave_live_tensors_unchanged_and_rss_within_50_mb()
    {
        Torch.ManualSeed(5);
        using var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1), new BatchNorm2d(8), new ReLU(), new AdaptiveAvgPool2d(4), new Flatten(),
            new Linear(8 * 16, 32), new ReLU(), new Dropout(0.1), new Linear(32, 10));
        using var optimizer = new SGD(model.Parameters(), learningRate: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4);
        using var inputs = Torch.Randn(new long[] { 16, 1, 8, 8 });
        using var labels = Torch.RandInt(0, 10, new long[] { 16 });
        model.Train();

        void Step()
        {
            using var scope = Torch.NewDisposeScope();
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(inputs), labels, labelSmoothing: 0.1);
            loss.Backward();
            GradClipping.ClipGradNorm(model.Parameters(), 5.0);
            optimizer.Step();
            _ = loss.Item<float>();
        }

        for (var i = 0; i < 100; i++)
        {
            Step();
        }

        // Tensors other tests dropped without disposing are finalized by the GC; settle it before counting.
        var rssAfterWarmup = ResidentBytes();
        var liveAfterWarmup = Tensor.LiveCount;
        for (var i = 100; i < 5000; i++)
        {
            Step();
        }

        var growth = ResidentBytes() - rssAfterWarmup;
        var liveAtEnd = Tensor.LiveCount;
        Assert.Equal(liveAfterWarmup, liveAtEnd);
        Assert.True(growth < 50L * 1024 * 1024, $"RSS grew by {growth / (1024.0 * 1024.0):F1} MB over 4,900 steps");
    }

    [Fact]
    public void Without_a_scope_the_live_count_shows_the_leak()
    {
        var before = Tensor.LiveCount;
        var leaked = new List<Tensor>();
        for (var i = 0; i < 10; i++)
        {
            leaked.Add(Torch.Ones(new long[] { 4 }) * 2);
        }

        Assert.True(Tensor.LiveCount >= before + 10);
        foreach (var t in leaked)
        {
            t.Dispose();
        }
    }

    private static long ResidentBytes()
    {
        // Managed garbage is not a native leak: settle the GC before reading the process's resident set.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}
