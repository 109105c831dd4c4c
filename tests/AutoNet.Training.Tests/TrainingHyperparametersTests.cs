namespace AutoNet.Training.Tests;

public sealed class TrainingHyperparametersTests
{
    [Fact]
    public void The_default_recipe_is_valid()
    {
        new TrainingHyperparameters().Validate();
    }

    [Theory]
    [InlineData("LearningRate")]
    [InlineData("BatchSize")]
    [InlineData("WarmupEpochs")]
    [InlineData("Momentum")]
    public void A_bad_value_is_refused_naming_the_field(string field)
    {
        var bad = field switch
        {
            "LearningRate" => new TrainingHyperparameters { LearningRate = -1 },
            "BatchSize" => new TrainingHyperparameters { BatchSize = 0 },
            "WarmupEpochs" => new TrainingHyperparameters { Epochs = 2, WarmupEpochs = 3 },
            _ => new TrainingHyperparameters { Momentum = 1.5 },
        };

        var error = Assert.Throws<ArgumentException>(bad.Validate);

        Assert.Contains(field, error.Message);
        Assert.Contains("expected", error.Message);
    }
}
