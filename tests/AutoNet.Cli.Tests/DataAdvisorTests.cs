
using AutoNet.Data.Drawing;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Cli.Tests;

public sealed class DataAdvisorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autonet-advisor-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Small_grey_imbalanced_images_on_a_CPU_get_their_own_size_a_quick_space_the_proxy_strategy_a_final_training_and_class_weights()
    {
        Images(("cat", 30), ("dog", 10), width: 28, height: 28);
        var listing = ImageFolderSource.Scan(folder);
        var split = new StratifiedSplitter(seed: 0).Split(listing);

        var choices = DataAdvisor.Choose(listing, split, new SearchRequest(), gpu: false);

        Assert.Equal(28, choices.Resolution);
        Assert.Equal(DataAdvisor.QuickSpace, choices.Space);
        Assert.Equal("proxy", choices.Strategy);
        Assert.Equal("asha", choices.Scheduler);
        // 15 minutes for a small data set: 55 % searching, 35 % training the winner again on everything.
        Assert.Equal(TimeSpan.FromSeconds(495), choices.TimeBudget);
        Assert.Equal(TimeSpan.FromSeconds(315), choices.FinalTraining);
        Assert.Null(choices.SearchTrainImages);
        Assert.True(choices.ClassWeights);
        Assert.Contains(choices.Reasons, r => r.StartsWith("resolution 28: the images are 28 px", StringComparison.Ordinal));
        Assert.Contains(choices.Reasons, r => r.StartsWith("time budget 15m00s split: 8m15s of search, then 5m15s of final training", StringComparison.Ordinal));
        Assert.Contains(choices.Reasons, r => r.StartsWith("class weights on: the largest class has 3.0x", StringComparison.Ordinal));
    }

    [Fact]
    public void An_hour_on_small_images_carries_the_reference_recipe_and_options_given_win()
    {
        Images(("cat", 12), ("dog", 12), width: 28, height: 28);
        var listing = ImageFolderSource.Scan(folder);
        var split = new StratifiedSplitter(seed: 0).Split(listing);

        var hour = DataAdvisor.Choose(listing, split, new SearchRequest { TimeBudget = TimeSpan.FromHours(1) }, gpu: false);
        var asked = DataAdvisor.Choose(listing, split,
            new SearchRequest { TimeBudget = TimeSpan.FromHours(1), FinalTraining = TimeSpan.FromMinutes(10), SearchImages = 9, Strategy = "random" }, gpu: false);
        var trials = DataAdvisor.Choose(listing, split, new SearchRequest { MaxTrials = 4 }, gpu: false);
        var none = DataAdvisor.Choose(listing, split, new SearchRequest { TimeBudget = TimeSpan.FromHours(1), FinalTraining = TimeSpan.Zero }, gpu: false);

        // From half an hour on, the reference's split: 40 % searching, 50 % training the winner again.
        Assert.Equal(("macro-cnn-small-images", "proxy", TimeSpan.FromMinutes(24), (TimeSpan?)TimeSpan.FromMinutes(30)),
            (hour.Space, hour.Strategy, hour.TimeBudget!.Value, hour.FinalTraining));
        Assert.Equal((TimeSpan.FromHours(1), (TimeSpan?)TimeSpan.FromMinutes(10), (int?)9, "random"),
            (asked.TimeBudget!.Value, asked.FinalTraining, asked.SearchTrainImages, asked.Strategy));
        Assert.DoesNotContain(asked.Reasons, r => r.StartsWith("time budget", StringComparison.Ordinal) || r.StartsWith("strategy", StringComparison.Ordinal));
        Assert.Equal(((TimeSpan?)null, (TimeSpan?)null, (int?)4), (trials.TimeBudget, trials.FinalTraining, trials.MaxTrials));
        Assert.Equal((TimeSpan.FromHours(1), (TimeSpan?)null), (none.TimeBudget!.Value, none.FinalTraining));
    }

    [Fact]
    public void A_budget_autonet_split_ends_its_final_training_by_the_budgets_end_and_one_the_user_set_does_not()
    {
        var started = new DateTimeOffset(2026, 12, 8, 2, 0, 0, TimeSpan.Zero);
        var hour = new SearchRequest { TimeBudget = TimeSpan.FromHours(1) };
        var split = new AutoNet.Scheduling.Experiments.SearchPlan { Resolution = 28, WallTimeSeconds = 1440, FinalTrainingSeconds = 1800 };

        // The final training may use the hour but its last 1 % (36 s), whatever the set-up and search took.
        Assert.Equal(started.AddMinutes(60).AddSeconds(-36), DataAdvisor.FinalTrainingEnd(hour, split, resumed: false, started));
        // Short budgets keep at least 15 s for the final test pass and the report.
        Assert.Equal(started.AddMinutes(5).AddSeconds(-15),
            DataAdvisor.FinalTrainingEnd(new SearchRequest { TimeBudget = TimeSpan.FromMinutes(5) }, split, resumed: false, started));

        // A final training the user asked for comes on top of the budget; a resumed search keeps its stored plan;
        // a plan without a final training or a request without a time budget has no end to keep.
        Assert.Null(DataAdvisor.FinalTrainingEnd(hour with { FinalTraining = TimeSpan.FromMinutes(10) }, split, resumed: false, started));
        Assert.Null(DataAdvisor.FinalTrainingEnd(hour, split, resumed: true, started));
        Assert.Null(DataAdvisor.FinalTrainingEnd(hour, split with { FinalTrainingSeconds = null }, resumed: false, started));
        Assert.Null(DataAdvisor.FinalTrainingEnd(new SearchRequest(), split, resumed: false, started));
    }

    [Fact]
    public void Large_images_on_a_GPU_get_a_cell_space_and_what_the_user_chose_is_kept()
    {
        Images(("cat", 12), ("dog", 12), width: 200, height: 150);
        var listing = ImageFolderSource.Scan(folder);
        var split = new StratifiedSplitter(seed: 0).Split(listing);

        var chosen = DataAdvisor.Choose(listing, split, new SearchRequest(), gpu: true);
        var given = DataAdvisor.Choose(listing, split, new SearchRequest { Space = "nasnet", Strategy = "tpe", MaxTrials = 5, Resolution = 40 }, gpu: true);

        Assert.Equal(96, chosen.Resolution);
        Assert.Equal("darts", chosen.Space);
        Assert.Equal("proxy", chosen.Strategy);
        Assert.False(chosen.ClassWeights);
        Assert.Contains(chosen.Reasons, r => r.Contains("the images are about 150 px", StringComparison.Ordinal));
        Assert.Equal(("nasnet", "tpe", 40, (TimeSpan?)null, (int?)5), (given.Space, given.Strategy, given.Resolution, given.TimeBudget, given.MaxTrials));
        Assert.DoesNotContain(given.Reasons, r => r.StartsWith("space", StringComparison.Ordinal) || r.StartsWith("strategy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5h", 9000)]
    [InlineData("45", 45)]
    public void Durations_are_read_as_people_type_them(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "--time-budget"));

    [Theory]
    [InlineData(5, 165, 105)]
    [InlineData(29, 957, 609)]
    [InlineData(30, 720, 900)]
    [InlineData(60, 1440, 1800)]
    public void Budgets_of_half_an_hour_or_more_give_the_final_training_the_larger_share(int minutes, int search, int final) =>
        Assert.Equal(((TimeSpan?)TimeSpan.FromSeconds(search), (TimeSpan?)TimeSpan.FromSeconds(final)),
            DataAdvisor.SplitBudget(TimeSpan.FromMinutes(minutes), new SearchRequest()));

    [Theory]
    [InlineData("soon")]
    [InlineData("1h and a bit")]
    [InlineData("0m")]
    public void A_duration_that_is_not_one_names_the_option_and_the_text(string text)
    {
        var error = Assert.Throws<CliException>(() => Durations.Parse(text, "--time-budget"));
        Assert.Contains($"--time-budget '{text}'", error.Message);
    }

    private void Images((string Name, int Count)[] classes, int width, int height)
    {
        var random = new Random(5);
        foreach (var (name, count) in classes)
        {
            Directory.CreateDirectory(Path.Join(folder, name));
            for (var i = 0; i < count; i++)
            {
                var pixels = new byte[width * height];
                random.NextBytes(pixels);
                PngWriter.Write(Path.Join(folder, name, $"{i}.png"), pixels, width, height, 1);
            }
        }
    }

    private void Images((string Name, int Count) first, (string Name, int Count) second, int width, int height) => Images([first, second], width, height);
}
