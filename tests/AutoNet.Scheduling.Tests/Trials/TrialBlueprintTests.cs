using AutoNet.Scheduling.Trials;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Tests.Trials;

public sealed class TrialBlueprintTests
{
    [Theory]
    [InlineData("macro-cnn")]
    [InlineData("darts")]
    public void A_sample_builds_a_network_whose_size_matches_its_precomputed_complexity(string spaceName)
    {
        var space = SearchSpaceCatalog.Default.Resolve(spaceName);
        var sample = space.Sample(new SearchRandom(4));
        var blueprint = TrialBlueprint.FromSample(space, sample, inputChannels: 1, numClasses: 10, seed: 9, defaultResolution: 28);

        using var model = blueprint.BuildModel();
        using var scope = torch.NewDisposeScope();
        model.eval();
        var logits = model.forward(torch.zeros([2, 1, blueprint.Resolution, blueprint.Resolution]));
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
        Assert.Equal(model.parameters().Sum(p => p.numel()), blueprint.Complexity!.Parameters);
        Assert.Equal(sample.GetInt32(SpaceLabels.InputResolution), blueprint.Resolution);
    }

    [Fact]
    public void Searched_hyperparameters_override_the_default_recipe_and_the_rest_is_kept()
    {
        var space = SearchSpaceCatalog.Default.Resolve("macro-cnn");
        var sample = space.Sample(new SearchRandom(2));
        var recipe = SampleHyperparameters.ToTraining(space, sample, seed: 31);

        Assert.Equal(sample.GetDouble(SpaceLabels.LearningRate), recipe.LearningRate);
        Assert.Equal(sample.GetInt32(SpaceLabels.BatchSize), recipe.BatchSize);
        Assert.Equal(sample.GetInt32(SpaceLabels.Epochs), recipe.Epochs);
        Assert.Equal(sample.GetDouble(SpaceLabels.AugmentStrength), recipe.AugmentStrength);
        Assert.Equal(sample.GetString(SpaceLabels.Optimizer) == "sgd" ? OptimizerKind.Sgd : OptimizerKind.AdamW, recipe.Optimizer);
        Assert.True(recipe.WarmupEpochs <= recipe.Epochs / 3.0);
        Assert.Equal(31, recipe.Seed);
        Assert.Equal(new TrainingHyperparameters().GradientClipNorm, recipe.GradientClipNorm);
    }

    [Fact]
    public void A_sample_from_another_space_is_refused_before_anything_is_built()
    {
        var darts = SearchSpaceCatalog.Default.Resolve("darts");
        var macro = SearchSpaceCatalog.Default.Resolve("macro-cnn");
        var sample = macro.Sample(new SearchRandom(1));

        Assert.ThrowsAny<Exception>(() => TrialBlueprint.FromSample(darts, sample, 1, 10, 0, 28));
    }
}
