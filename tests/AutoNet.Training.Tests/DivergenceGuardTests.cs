namespace AutoNet.Training.Tests;

public sealed class DivergenceGuardTests
{
    [Fact]
    public void A_nan_loss_fails_the_trial_naming_epoch_and_step()
    {
        var guard = new DivergenceGuard();
        guard.Observe(2.3, epoch: 1, step: 1);

        var error = Assert.Throws<TrialFailedException>(() => guard.Observe(double.NaN, epoch: 1, step: 2));

        Assert.Equal(TrialFailureKind.NonFiniteLoss, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("epoch 1, step 2", error.Message);
    }

    [Fact]
    public void A_loss_climbing_far_above_its_early_level_is_divergence()
    {
        var guard = new DivergenceGuard(factor: 4, warmSteps: 10);
        for (var step = 1; step <= 10; step++)
        {
            guard.Observe(2.0, 1, step);
        }

        var error = Assert.Throws<TrialFailedException>(() =>
        {
            for (var step = 11; step < 200; step++)
            {
                guard.Observe(50.0, 1, step);
            }
        });

        Assert.Equal(TrialFailureKind.Diverged, error.Kind);
    }

    [Fact]
    public void A_noisy_but_falling_loss_is_left_alone()
    {
        var guard = new DivergenceGuard();
        var random = new Random(5);
        for (var step = 1; step < 2000; step++)
        {
            guard.Observe((2.3 * Math.Exp(-step / 500.0)) + (random.NextDouble() * 1.5), 1, step);
        }
    }
}
