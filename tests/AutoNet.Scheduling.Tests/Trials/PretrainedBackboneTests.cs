using AutoNet.Models.Backbones;
using AutoNet.Scheduling.Trials;
using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Weights;
using TorchSharp;

namespace AutoNet.Scheduling.Tests.Trials;

/// <summary>A pretrained weights file is told apart by its tensor names and shapes: the classifier and the stem's input channels may differ.</summary>
public sealed class PretrainedBackboneTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autonet-pretrained-backbone-").FullName;

    [Theory]
    [InlineData("resnet34", 10, 3)]
    [InlineData("mobilenet_v2", 7, 1)]
    public void A_file_is_identified_by_its_names_and_shapes_whatever_its_classifier_and_stem_channels(string name, int classes, int channels)
    {
        var path = Write(name, new BackboneOptions { NumClasses = classes, InChannels = channels });

        Assert.Equal(name, PretrainedBackbone.Identify(path));
    }

    [Fact]
    public void A_file_of_no_known_backbone_is_refused_naming_the_file_and_the_first_tensor_that_does_not_fit()
    {
        var path = Path.Join(folder, "extra.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            using var model = BackboneFactory.Create("resnet18");
            var state = model.state_dict();
            state["layer5.0.conv1.weight"] = torch.zeros(4, 4, 3, 3);
            SafetensorsFile.Write(path, state);
        }

        var error = Assert.Throws<WeightsFileException>(() => PretrainedBackbone.Identify(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal("layer5.0.conv1.weight", error.Field);
        Assert.Contains("closest to torchvision's resnet18", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, BackboneOptions options)
    {
        var path = Path.Join(folder, $"{name}.safetensors");
        using var scope = torch.NewDisposeScope();
        using var model = BackboneFactory.Create(name, options);
        SafetensorsFile.Write(path, model.state_dict());
        return path;
    }
}
