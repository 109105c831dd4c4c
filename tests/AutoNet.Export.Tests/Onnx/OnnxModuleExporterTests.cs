using AutoNet.Export.Onnx;
using AutoNet.Models.Architecture;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Onnx;

[Collection(LiveTensorCollection.Name)]
public sealed class OnnxModuleExporterTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "autonet-onnx-exporter-" + Guid.NewGuid().ToString("N"));

    public OnnxModuleExporterTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static OnnxExportOptions Options(int classes, int size = 8, OnnxChannelOrder order = OnnxChannelOrder.Rgb) => new()
    {
        Preprocessing = new OnnxPreprocessing(size, size, order,
            order == OnnxChannelOrder.Grayscale ? [0.5] : [0.5, 0.5, 0.5],
            order == OnnxChannelOrder.Grayscale ? [0.25] : [0.25, 0.25, 0.25]),
        ClassNames = Enumerable.Range(0, classes).Select(i => $"c{i}").ToList(),
    };

    private static nn.Module<Tensor, Tensor> Classifier(nn.Module<Tensor, Tensor> middle) =>
        nn.Sequential(nn.Conv2d(3, 4, 3, padding: 1), middle, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2));

    /// <summary>A module outside the vocabulary (GELU has no leaf).</summary>
    private sealed class Unknown : nn.Module<Tensor, Tensor>
    {
        public Unknown()
            : base(nameof(Unknown))
        {
        }

        public override Tensor forward(Tensor input) => nn.functional.gelu(input);
    }

    [Fact]
    public void An_unknown_module_type_is_an_error_naming_its_path_and_type()
    {
        using var model = Classifier(nn.Sequential(nn.ReLU(), new Unknown()));
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'1.1'", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Unknown).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ceil_mode_pool_is_refused_naming_its_path()
    {
        using var model = Classifier(nn.MaxPool2d(3, stride: 2, ceil_mode: true));
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ceil_mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_and_initializers_are_named_by_the_descriptions_state_dict_paths()
    {
        using var model = new ArchitectureModule(ParityModels.BranchDescription());
        var proto = new OnnxModuleExporter().Export(model, Options(3));
        var keys = model.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(keys, proto.Graph.Initializer.Select(i => i.Name).Where(keys.Contains).ToHashSet());
        Assert.Contains(proto.Graph.Node, n => n.OpType == "Conv" && n.Name == "branches.left.0/Conv");
        Assert.Contains(proto.Graph.Node, n => n.OpType == "Concat" && n.Name.StartsWith("branches/", StringComparison.Ordinal));
        Assert.Contains(proto.Graph.Node, n => n.OpType == "BatchNormalization" && n.Name == "mix.bn/BatchNormalization");
    }

    [Fact]
    public void Class_names_must_match_the_number_of_logits()
    {
        using var model = Classifier(nn.ReLU());
        var error = Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, Options(3)));
        Assert.Contains("3 class names", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 logits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolution_the_model_cannot_take_is_an_error_naming_it()
    {
        using var model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(4 * 6 * 6, 2));
        var error = Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, Options(2, size: 10)));
        Assert.Contains("3x10x10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_and_std_must_have_one_value_per_channel()
    {
        using var model = Classifier(nn.ReLU());
        var options = Options(2) with { Preprocessing = new OnnxPreprocessing(8, 8, OnnxChannelOrder.Rgb, [0.5], [0.2, 0.2, 0.2]) };
        var error = Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, options));
        Assert.Contains("mean has 1 values", error.Message, StringComparison.Ordinal);
        var zeroStd = Options(2) with { Preprocessing = new OnnxPreprocessing(8, 8, OnnxChannelOrder.Rgb, [0.5, 0.5, 0.5], [0.2, 0.0, 0.2]) };
        Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, zeroStd));
    }

    [Fact]
    public void BatchNorm_without_running_statistics_cannot_be_exported()
    {
        using var model = Classifier(nn.BatchNorm2d(4, track_running_stats: false));
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("running statistics", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adaptive_pooling_to_more_than_one_cell_is_refused_with_the_path()
    {
        using var model = nn.Sequential(nn.Conv2d(3, 4, 3, padding: 1), nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(16, 2));
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_float64_model_is_refused_naming_the_parameter()
    {
        using var model = Classifier(nn.ReLU());
        model.to(ScalarType.Float64);
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'0.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_leaves_every_module_in_the_mode_it_found_it()
    {
        using var inner = nn.Sequential(nn.BatchNorm2d(4), nn.Dropout(0.5));
        using var model = Classifier(inner);
        model.train();
        inner.modules().Last().eval();
        var before = model.modules().Select(m => m.training).Prepend(model.training).ToList();
        new OnnxModuleExporter().Export(model, Options(2));
        Assert.Equal(before, model.modules().Select(m => m.training).Prepend(model.training));
        Assert.Contains(false, before);
    }

    [Fact]
    public void Reserved_metadata_keys_cannot_be_overridden()
    {
        using var model = Classifier(nn.ReLU());
        var options = Options(2) with { Metadata = new Dictionary<string, string> { ["class_names"] = "[]" } };
        Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, options));
    }

    [Fact]
    public void Exporting_to_an_existing_file_is_an_error_and_leaves_it_untouched()
    {
        using var model = Classifier(nn.ReLU());
        var path = Path.Combine(folder, "model.onnx");
        File.WriteAllText(path, "user data");
        Assert.Throws<IOException>(() => new OnnxModuleExporter().Export(model, Options(2), path));
        Assert.Equal("user data", File.ReadAllText(path));
        new OnnxModuleExporter().Export(model, Options(2), path, overwrite: true);
        Assert.NotEqual("user data", File.ReadAllText(path));
    }

    [Fact]
    public void Without_probabilities_the_only_output_is_the_logits()
    {
        using var model = Classifier(nn.ReLU());
        var proto = new OnnxModuleExporter().Export(model, Options(2) with { IncludeProbabilities = false });
        Assert.Equal(["logits"], proto.Graph.Output.Select(o => o.Name));
        Assert.Equal(["input"], proto.Graph.Input.Select(i => i.Name));
    }

    [Fact]
    public void Export_frees_every_tensor_it_makes()
    {
        using var model = nn.Sequential(nn.Conv2d(3, 4, 3, padding: 1), nn.BatchNorm2d(4), nn.Linear(8, 3), nn.Flatten(), nn.Linear(96, 2));
        using var described = new ArchitectureModule(ParityModels.BranchDescription());
        new OnnxModuleExporter().Export(model, Options(2));
        new OnnxModuleExporter().Export(described, Options(3));
        var before = LiveTensorCollection.Settled();
        for (var i = 0; i < 3; i++)
        {
            new OnnxModuleExporter().Export(model, Options(2));
            new OnnxModuleExporter().Export(described, Options(3));
        }

        Assert.Equal(before, LiveTensorCollection.Settled());
    }
}
