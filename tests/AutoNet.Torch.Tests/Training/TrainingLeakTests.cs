using AutoNet.Torch.Optimizers;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Training;

/// <summary>A TorchSharp training loop inside dispose scopes holds a constant number of tensors and of native memory.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class TrainingLeakTests
{
    /// <summary>
    /// The stated bound: after a 100-step warm-up, 4,900 more steps may grow the resident set by less than 50 MB. A leak
    /// of one activation per step (16×8×8×8 floats) would add 160 MB; allocator and JIT noise stays well under 50.
    /// </summary>
    private const long RssBound = 50L * 1024 * 1024;

    [Fact]
    public void Five_thousand_steps_leave_live_tensors_unchanged_and_rss_within_50_mb()
    {
        torch.manual_seed(5);
        using var model = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
            nn.Linear(8 * 16, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 10));
        using var optimizer = new FinalizerSafeSgd(model.parameters(), 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4);
        var schedule = new Schedules.WarmupCosineSchedule(optimizer, warmupSteps: 100, totalSteps: 5000);
        using var inputs = torch.randn(16, 1, 8, 8);
        using var labels = torch.randint(0, 10, [16]);
        model.train();

        void Step()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(inputs), labels, label_smoothing: 0.1);
            loss.backward();
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0);
            optimizer.step();
            schedule.Step();
            _ = loss.item<float>();
        }

        for (var i = 0; i < 100; i++)
        {
            Step();
        }

        var rssAfterWarmup = ResidentBytes();
        var liveAfterWarmup = TorchEngine.CountLiveTensors();
        for (var i = 100; i < 5000; i++)
        {
            Step();
        }

        var growth = ResidentBytes() - rssAfterWarmup;
        Assert.Equal(liveAfterWarmup, TorchEngine.CountLiveTensors());
        Assert.True(growth < RssBound, $"RSS grew by {growth / (1024.0 * 1024.0):F1} MB over 4,900 steps");
    }

    [Fact]
    public void Without_a_scope_the_live_count_shows_the_leak()
    {
        var before = TorchEngine.CountLiveTensors();
        var leaked = new List<Tensor>();
        for (var i = 0; i < 10; i++)
        {
            using var ones = torch.ones(4);
            leaked.Add(ones * 2);
        }

        Assert.True(TorchEngine.CountLiveTensors() >= before + 10);
        foreach (var t in leaked)
        {
            t.Dispose();
        }

        Assert.Equal(before, TorchEngine.CountLiveTensors());
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
