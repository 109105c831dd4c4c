using System.Text.Json.Nodes;
using AutoNet.Models.MacroCnn;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.MacroCnn;

public sealed class MacroCnnNetworkTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("autonet-macro-").FullName;

    public MacroCnnNetworkTests() => torch.set_num_threads(1);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> Configs => new() { "plain-maxpool", "residual-strided", "mixed-avgpool-globalmax" };

    private static MacroCnnConfig Named(string name) => name switch
    {
        "plain-maxpool" => new(1, 10, [new(8, 2), new(16, 2), new(24, 1)]),
        "residual-strided" => new(3, 4, [new(8, 1, 3, Residual: true), new(8, 2, 5, Residual: true), new(16, 2, 3, Residual: true)], MacroCnnDownsampling.StridedConv),
        "mixed-avgpool-globalmax" => new(3, 6, [new(6, 1, 5), new(12, 2, 3, Residual: true), new(12, 1, 1)], MacroCnnDownsampling.AvgPool, GlobalPooling.Max),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Logits_gradients_and_counts_match_pytorch(string name)
    {
        var config = Named(name);
        torch.manual_seed(3);
        using var input = torch.randn(2, config.InputChannels, 28, 28);
        var path = Path.Combine(directory, name + ".safetensors");
        var reply = PeerNetwork.Run(Request(config), input, path);
        using var model = new MacroCnnNetwork(config);
        PeerNetwork.AssertMatches(model, input, reply, path);

        var complexity = MacroCnnNetwork.Complexity(config, 28, 28);
        Assert.Equal(model.ParameterCount(), complexity.Parameters);
        Assert.Equal(reply["multiply_adds"]!.GetValue<long>(), complexity.MultiplyAdds);
    }

    [Fact]
    public void Bad_settings_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new MacroCnnNetwork(new MacroCnnConfig(3, 10, [new(8, 1), new(8, 1, KernelSize: 4)])));
        Assert.Contains("Stages[1].KernelSize = 4", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MacroCnnNetwork(new MacroCnnConfig(3, 10, [])));
        var small = Assert.Throws<ArgumentException>(() => MacroCnnNetwork.Complexity(new MacroCnnConfig(3, 10, [new(8, 1), new(8, 1), new(8, 1)]), 2, 2));
        Assert.Contains("too small", small.Message, StringComparison.Ordinal);
    }

    private static JsonObject Request(MacroCnnConfig config) => new()
    {
        ["kind"] = "macro",
        ["config"] = new JsonObject
        {
            ["InputChannels"] = config.InputChannels,
            ["NumClasses"] = config.NumClasses,
            ["Downsampling"] = config.Downsampling.ToString(),
            ["GlobalPooling"] = config.GlobalPooling.ToString(),
            ["Dropout"] = config.Dropout,
            ["Stages"] = new JsonArray(config.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["Width"] = s.Width,
                ["Depth"] = s.Depth,
                ["KernelSize"] = s.KernelSize,
                ["Residual"] = s.Residual,
            }).ToArray()),
        },
    };
}
