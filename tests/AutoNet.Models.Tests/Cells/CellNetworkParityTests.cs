using System.Text.Json.Nodes;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.Cells;

/// <summary>The cell network against the same DARTS-style network in PyTorch, weights crossing as safetensors.</summary>
public sealed class CellNetworkParityTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("autonet-cells-").FullName;

    public CellNetworkParityTests() => torch.set_num_threads(1);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>Every op, on reduction edges too; concat left to the unused-outputs rule; a block reading every earlier one.</summary>
    public static Genotype EveryOp { get; } = new(
        PublishedGenotypes.Cell([
            ("none", 0), ("dil_conv_5x5", 1), ("conv_1x1", 2), ("max_pool_5x5", 0), ("conv_3x1_1x3", 3), ("sep_conv_7x7", 1),
            ("max_pool_7x7", 2), ("conv_3x3", 4), ("avg_pool_3x3", 5), ("skip_connect", 4)]),
        PublishedGenotypes.Cell([
            ("skip_connect", 0), ("conv_3x3", 1), ("none", 1), ("dil_conv_3x3", 0), ("max_pool_5x5", 1), ("conv_7x1_1x7", 3),
            ("sep_conv_5x5", 0), ("conv_1x1", 2), ("max_pool_7x7", 4), ("conv_3x1_1x3", 1)]));

    public static TheoryData<string> Genotypes => new() { "DARTS_V2", "NASNet", "AmoebaNet", "every-op" };

    private static Genotype Named(string name) => name == "every-op" ? EveryOp : PublishedGenotypes.ByName[name];

    [Theory]
    [MemberData(nameof(Genotypes))]
    public void Logits_gradients_and_counts_match_pytorch(string name)
    {
        var genotype = Named(name);
        var settings = new CellNetworkSettings(InitialChannels: 8, CellsPerStage: 1, Stages: 3, InputChannels: 3, NumClasses: 5);
        torch.manual_seed(1);
        using var input = torch.randn(2, 3, 16, 16);
        var path = Path.Combine(directory, name + ".safetensors");
        var reply = PeerNetwork.Run(Request(genotype, settings), input, path);

        using var model = new CellNetwork(genotype, settings);
        PeerNetwork.AssertMatches(model, input, reply, path);

        var complexity = CellNetwork.Complexity(genotype, settings, 16, 16);
        Assert.Equal(model.ParameterCount(), complexity.Parameters);
        Assert.Equal(reply["multiply_adds"]!.GetValue<long>(), complexity.MultiplyAdds);
    }

    [Fact]
    public void Grey_images_two_stages_and_no_normal_cells_match_pytorch()
    {
        foreach (var settings in new[]
        {
            new CellNetworkSettings(InitialChannels: 8, CellsPerStage: 2, Stages: 2, InputChannels: 1, NumClasses: 10, StemMultiplier: 2),
            new CellNetworkSettings(InitialChannels: 6, CellsPerStage: 0, Stages: 3, InputChannels: 1, NumClasses: 3),
        })
        {
            torch.manual_seed(2);
            using var input = torch.randn(2, 1, 28, 28);
            var path = Path.Combine(directory, $"grey-{settings.CellsPerStage}.safetensors");
            var reply = PeerNetwork.Run(Request(PublishedGenotypes.DartsV2, settings), input, path);
            using var model = new CellNetwork(PublishedGenotypes.DartsV2, settings);
            PeerNetwork.AssertMatches(model, input, reply, path);
            var complexity = CellNetwork.Complexity(PublishedGenotypes.DartsV2, settings, 28, 28);
            Assert.Equal(model.ParameterCount(), complexity.Parameters);
            Assert.Equal(reply["multiply_adds"]!.GetValue<long>(), complexity.MultiplyAdds);
        }
    }

    internal static JsonObject Request(Genotype genotype, CellNetworkSettings settings) => new()
    {
        ["kind"] = "cells",
        ["genotype"] = JsonNode.Parse(genotype.ToJson()),
        ["settings"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(settings)),
    };
}
