namespace AutoNet.Store.Tests;

internal static class Samples
{
    public static NewExperiment Experiment(string name = "fmnist-random") => new(
        name, "fashion-mnist", """{"train":0.8,"val":0.2,"seed":1}""", "darts-small", """{"cells":2,"ops":["sep_conv_3x3","skip_connect"]}""",
        "random", "asha", """{"trials":20,"epochs":3}""", 42);

    public static NewTrial Trial(int i, long? parameters = null, long? flops = null) =>
        new($$"""{"normal":[["sep_conv_3x3",{{i}}]]}""", $"g{i}", $$"""{"lr":0.0{{i % 10}}1,"batch":64}""", parameters, flops);

    public static EpochMetrics Epoch(int epoch, double valAccuracy) =>
        new(epoch, 1.0 / epoch, 0.9 / epoch, valAccuracy, Math.Min(1, valAccuracy + 0.1), 0.01, 2.5, 1 << 20);
}
