using AutoNet.Search.Strategies.Tpe;

namespace AutoNet.Search.Tests.Strategies;

public sealed class TpeSamplerTests
{
    [Fact]
    public void A_numerical_estimator_is_a_normalised_density_over_its_range()
    {
        var domain = TpeDomain.Float(-2, 3);
        var estimator = new ParzenEstimator(domain, [0.1, 0.5, 2.7]);

        // Trapezoid integral of exp(log density) over [-2, 3].
        const int steps = 20000;
        double integral = 0;
        for (var i = 0; i <= steps; i++)
        {
            var x = -2 + (5.0 * i / steps);
            integral += Math.Exp(estimator.LogDensity(x)) * (i == 0 || i == steps ? 0.5 : 1);
        }

        Assert.Equal(1.0, integral * 5.0 / steps, 3);
    }

    [Fact]
    public void A_categorical_estimator_is_a_histogram_with_one_prior_count_spread_over_the_choices()
    {
        var estimator = new ParzenEstimator(TpeDomain.Categorical(4), [2, 2, 1]);

        // Counts 0, 1, 2, 0 plus 1/4 each, over 4.
        Assert.Equal(Math.Log(0.25 / 4), estimator.LogDensity(0), 12);
        Assert.Equal(Math.Log(1.25 / 4), estimator.LogDensity(1), 12);
        Assert.Equal(Math.Log(2.25 / 4), estimator.LogDensity(2), 12);
    }

    [Fact]
    public void Samples_stay_inside_the_domain_and_integers_stay_whole()
    {
        var random = new Random(3);
        var ints = new ParzenEstimator(TpeDomain.Int(1, 64, log: true), [2, 8, 60]);
        var floats = new ParzenEstimator(TpeDomain.Float(1e-5, 1e-1, log: true), [1e-4, 3e-2]);

        for (var i = 0; i < 500; i++)
        {
            var n = ints.Sample(random.NextDouble);
            Assert.InRange(n, 1, 64);
            Assert.Equal(Math.Round(n), n);
            Assert.InRange(floats.Sample(random.NextDouble), 1e-5, 1e-1);
        }
    }

    [Fact]
    public void Tpe_finds_the_optimum_of_a_noisy_one_dimensional_objective_better_than_random_search()
    {
        // Maximise −(log10 lr + 2.5)² on a log domain: the best learning rate is ~3.2e-3.
        static double Objective(double lr) => -Math.Pow(Math.Log10(lr) + 2.5, 2);
        var domain = TpeDomain.Float(1e-6, 1, log: true);
        var tpeRegrets = new List<double>();
        var randomRegrets = new List<double>();
        for (var seed = 0; seed < 10; seed++)
        {
            var random = new Random(seed);
            var sampler = new TpeSampler();
            var history = new List<(double Value, double Score)>();
            for (var trial = 0; trial < 40; trial++)
            {
                var value = sampler.Suggest(domain, history, random.NextDouble);
                history.Add((value, Objective(value)));
            }

            tpeRegrets.Add(-history.Max(h => h.Score));
            var baseline = new Random(seed + 1000);
            randomRegrets.Add(-Enumerable.Range(0, 40).Select(_ => Objective(TpeSampler.RandomValue(domain, baseline.NextDouble))).Max());
        }

        Assert.True(tpeRegrets.Average() < randomRegrets.Average(), $"TPE regret {tpeRegrets.Average():G3} vs random {randomRegrets.Average():G3}");
    }

    [Fact]
    public void The_same_history_and_generator_give_the_same_suggestion()
    {
        var history = Enumerable.Range(0, 15).Select(i => ((double)(i % 5), (double)(i % 7))).ToArray();
        var domain = TpeDomain.Categorical(5);

        var first = new TpeSampler().Suggest(domain, history, new Random(4).NextDouble);
        var second = new TpeSampler().Suggest(domain, history, new Random(4).NextDouble);

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_good_share_is_a_tenth_rounded_up_and_at_most_25()
    {
        Assert.Equal(1, TpeSampler.GoodCount(10));
        Assert.Equal(2, TpeSampler.GoodCount(11));
        Assert.Equal(25, TpeSampler.GoodCount(1000));
    }

    [Theory]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(-1.0, 0.15865525393145707)]
    [InlineData(-3.090232306167813, 0.001)]
    public void The_normal_distribution_function_and_its_inverse_match_published_values(double z, double p)
    {
        Assert.Equal(p, NormalMath.Cdf(z), 7);
        Assert.Equal(z, NormalMath.InverseCdf(p), 5);
    }
}
