using AutoNet.Models.Backbones;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Scheduling.Trials;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Torch.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Tests.Trials;

/// <summary>Samples of search-spaces/transfer.json as trials: pretrained backbones from files, trained networks, heads, the fine-tuning recipe.</summary>
public sealed class TransferBlueprintTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"autonet-transfer-blueprint-{Guid.NewGuid():N}");
    private readonly SearchSpace space = SearchSpaceCatalog.Default.Resolve("transfer");

    [Fact]
    public void A_missing_weights_file_is_refused_naming_the_resolved_path_and_how_to_supply_it()
    {
        var sample = Sample(seed: 1, head: "linear", backbone: "resnet18");

        var error = Assert.Throws<FileNotFoundException>(() =>
            TrialBlueprint.FromSample(space, sample, 1, 10, 0, 28, new TransferSources { WeightsFolder = folder }));

        Assert.Contains(Path.Combine(folder, "pretrained", "resnet18.safetensors"), error.Message, StringComparison.Ordinal);
        Assert.Contains("torchvision", error.Message, StringComparison.Ordinal);
        Assert.Contains("downloads nothing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("mlp")]
    [InlineData("cell")]
    public void A_sample_builds_the_pretrained_backbone_with_its_head_for_grayscale_images(string head)
    {
        var rgbStem = WritePretrained("resnet18");
        var sample = Sample(seed: 3, head, backbone: "resnet18");
        var blueprint = TrialBlueprint.FromSample(space, sample, inputChannels: 1, numClasses: 7, seed: 5, defaultResolution: 32,
            new TransferSources { WeightsFolder = folder });

        using var model = Assert.IsType<TransferNetwork>(blueprint.BuildModel());
        using var scope = torch.NewDisposeScope();
        model.eval();
        var logits = model.forward(torch.zeros([2, 1, 32, 32]));

        Assert.Equal(new long[] { 2, 7 }, logits.shape);
        Assert.Equal(head, model.HeadSettings.Kind.ToString().ToLowerInvariant());
        // The grayscale stem is the pretrained RGB stem summed over its colour channels (timm's rule).
        var stem = model.state_dict()["backbone.conv1.weight"];
        Assert.True(stem.allclose(rgbStem.sum(1, keepdim: true), 1e-5, 1e-6));
        Assert.Equal(sample.GetDouble(SpaceLabels.FreezeFraction), model.FreezeFraction);
        Assert.Equal(Math.Min(sample.GetInt32(SpaceLabels.HeadOnlyEpochs), blueprint.Hyperparameters.Epochs - 1), blueprint.Hyperparameters.HeadOnlyEpochs);
        Assert.Equal(sample.GetDouble(SpaceLabels.UnfreezeLrMultiplier), blueprint.Hyperparameters.UnfreezeLearningRateMultiplier);
        rgbStem.Dispose();
    }

    [Fact]
    public void A_trained_autonet_network_serves_as_the_backbone_in_place_of_the_sampled_one()
    {
        var sample = Sample(seed: 2, head: "mlp", backbone: "resnet50");
        var config = new MacroCnnConfig(1, 10, [new MacroCnnStage(8, 1), new MacroCnnStage(16, 1)]);
        var blueprint = TrialBlueprint.FromSample(space, sample, 1, 4, 0, 28, new TransferSources { Network = () => new MacroCnnNetwork(config) });

        using var model = Assert.IsType<TransferNetwork>(blueprint.BuildModel());
        using var scope = torch.NewDisposeScope();
        var logits = model.forward(torch.zeros([3, 1, 28, 28]));

        Assert.Equal(new long[] { 3, 4 }, logits.shape);
        Assert.IsType<MacroCnnNetwork>(model.Features.Module);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private SearchSample Sample(int seed, string head, string backbone)
    {
        // Sample until the head is the one asked for (its conditional choices then exist), then pin the backbone.
        for (var s = seed; ; s++)
        {
            var sample = space.Sample(new SearchRandom(s));
            if (sample.GetString(SpaceLabels.Head) == head)
            {
                var pinned = new SearchSample(sample.Entries.Select(e =>
                    e.Key == SpaceLabels.Backbone ? new KeyValuePair<string, ParameterValue>(e.Key, backbone) : e));
                space.Validate(pinned);
                return pinned;
            }
        }
    }

    /// <summary>A seeded random torchvision-named RGB <paramref name="name"/> with 1000 classes, as the user would supply it; returns its stem weight.</summary>
    private Tensor WritePretrained(string name)
    {
        var path = Path.Combine(folder, "pretrained", $"{name}.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        torch.manual_seed(17);
        using var backbone = BackboneFactory.Create(name);
        SafetensorsFile.Write(path, backbone.state_dict());
        return backbone.state_dict()[backbone.StemConvWeightKey].detach().clone();
    }
}
