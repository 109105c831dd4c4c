using AutoNet.Scheduling.Experiments;
using AutoNet.Search.Spaces;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>Trial lengths fitted to a search's wall-clock budget.</summary>
public sealed class TrialLengthFitTests
{
    [Fact]
    public void Capping_keeps_the_epoch_grid_and_holds_warm_up_within_the_shortest_trial()
    {
        var capped = new SearchSpaceReader().Parse(TrialLengthFit.CapEpochs(File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn")), 17), "capped");

        var epochs = Assert.IsType<IntParameter>(capped[SpaceLabels.Epochs]);
        Assert.Equal((5, 15, 5), (epochs.Low, epochs.High, epochs.Step));
        Assert.Equal(3, ((IntParameter)capped["hp/warmup_epochs"]).High);

        var short2 = new SearchSpaceReader().Parse(TrialLengthFit.CapEpochs(File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn")), 2), "capped");
        Assert.Equal((2, 2), (((IntParameter)short2[SpaceLabels.Epochs]).Low, ((IntParameter)short2[SpaceLabels.Epochs]).High));
        Assert.Equal(2, ((IntParameter)short2["hp/warmup_epochs"]).High);
    }

    [Fact]
    public void Categorical_epochs_keep_the_choices_that_fit_or_the_cap_itself()
    {
        var json = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn-tiny"));

        var none = new SearchSpaceReader().Parse(TrialLengthFit.CapEpochs(json, 2), "capped");
        Assert.Equal([2], ((CategoricalParameter)none[SpaceLabels.Epochs]).Choices.Select(c => c.AsInt32()));
        var all = new SearchSpaceReader().Parse(TrialLengthFit.CapEpochs(json, 5), "capped");
        Assert.Equal([3], ((CategoricalParameter)all[SpaceLabels.Epochs]).Choices.Select(c => c.AsInt32()));
    }

    [Fact]
    public void A_short_budget_on_many_images_gets_short_trials_and_a_long_one_the_space_as_written()
    {
        var json = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn"));
        var space = new SearchSpaceReader().Parse(json, "macro-cnn");
        var shape = new TrialDataShape(Channels: 1, Classes: 10, Resolution: 28, TrainImages: 50_000, ValidationImages: 5_000);

        var fit = TrialLengthFit.Plan(space, json, shape, TimeSpan.FromMinutes(5), seed: 0, TorchSharp.torch.CPU)!;

        // Measured, not assumed: the estimate must be a positive time, and a quarter of five minutes must hold a full trial.
        Assert.True(fit.SecondsPerEpoch > 0);
        Assert.True(fit.MaxEpochs < 40, fit.Reason);
        Assert.True(fit.MaxEpochs == 1 || fit.MaxEpochs * fit.SecondsPerEpoch <= TrialLengthFit.BudgetShare * 300, fit.Reason);
        var capped = new SearchSpaceReader().Parse(fit.SpaceJson, "capped");
        Assert.Equal(fit.MaxEpochs, ((IntParameter)capped[SpaceLabels.Epochs]).High);
        Assert.Contains("trial length: at most", fit.Reason, StringComparison.Ordinal);

        var generous = TrialLengthFit.Plan(space, json, shape with { TrainImages = 100, ValidationImages = 20 }, TimeSpan.FromDays(30), seed: 0, TorchSharp.torch.CPU)!;
        Assert.Equal(40, generous.MaxEpochs);
        Assert.Equal(json, generous.SpaceJson);
    }
}
