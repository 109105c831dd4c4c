using System.Diagnostics;
using System.Globalization;
using AutoNet.Data.Loading;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Tests;

public sealed class ClassBalanceTests
{
    [Fact]
    public void Weights_equal_scikit_learns_balanced_class_weights()
    {
        int[] counts = [120, 7, 33, 1, 60];
        var labels = string.Join(",", counts.SelectMany((n, c) => Enumerable.Repeat(c, n)));
        var script = "import numpy as np; from sklearn.utils.class_weight import compute_class_weight; "
            + $"y = np.array([{labels}]); print(' '.join(repr(float(w)) for w in compute_class_weight('balanced', classes=np.unique(y), y=y)))";
        var expected = RunPython(script).Split(' ').Select(w => double.Parse(w, CultureInfo.InvariantCulture)).ToArray();

        var balance = new ClassBalance(["a", "b", "c", "d", "e"], counts);

        Assert.Equal(expected.Length, balance.Weights.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], balance.Weights[i], 12);
        }

        Assert.Equal(1.0, counts.Select((n, c) => n * balance.Weights[c]).Sum() / counts.Sum(), 12);
    }

    [Fact]
    public void The_imbalance_ratio_is_the_largest_class_over_the_smallest_non_empty_one()
    {
        var balance = new ClassBalance(["a", "b", "c", "d"], [90, 30, 0, 10]);

        Assert.Equal(9.0, balance.ImbalanceRatio);
        Assert.Equal(0.0, balance.Weights[2]);
        Assert.Equal(130.0 / (3 * 10), balance.Weights[3], 12);
    }

    [Fact]
    public void A_balanced_data_set_has_ratio_one_and_unit_weights()
    {
        var balance = ClassBalance.Of(Listings.WithCounts(25, 25, 25));

        Assert.Equal(1.0, balance.ImbalanceRatio);
        Assert.All(balance.Weights, w => Assert.Equal(1.0, w, 12));
    }

    [Fact]
    public void The_training_part_of_a_split_gives_the_trainers_weights_and_a_readable_report()
    {
        var split = new StratifiedSplitter(seed: 1).Split(Listings.WithCounts(100, 20));

        var balance = split.Balance(SplitPart.Train);
        var report = balance.Report();

        Assert.Equal([80, 16], balance.Counts);
        Assert.Equal(5.0, balance.ImbalanceRatio);
        Assert.Equal(96.0 / (2 * 16), balance.Weights[1], 12);
        Assert.Contains("c0", report);
        Assert.Contains("imbalance ratio (largest / smallest class): 5.00", report);
    }

    private static string RunPython(string script)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python failed: {error}");
        return output.Trim();
    }
}
