using AutoNet.Export.Onnx;
using AutoNet.Torch;
using AutoNet.Torch.NN;

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
            order == OnnxChannelOrder.Grayscale ? new[] { 0.5 } : new[] { 0.5, 0.5, 0.5 },
            order == OnnxChannelOrder.Grayscale ? new[] { 0.25 } : new[] { 0.25, 0.25, 0.25 }),
        ClassNames = Enumerable.Range(0, classes).Select(i => $"c{i}").ToList(),
    };

    private static Sequential Classifier(Module middle) =>
        new(new Conv2d(3, 4, 3, padding: 1), middle, new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 2));

    [Fact]
    public void An_unknown_module_type_is_an_error_naming_its_path_and_type()
    {
        using var model = Classifier(new Sequential(new ReLU(), new BranchBlock(4)));
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'1.1'", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(BranchBlock).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registered_converter_replaces_the_error()
    {
        using var model = Classifier(new BranchBlock(4));
        var registry = OnnxConverterRegistry.CreateDefault().Register<BranchBlock>(BranchBlock.Emit);
        var proto = new OnnxModuleExporter(registry).Export(model, Options(2));
        Assert.Contains(proto.Graph.Node, n => n.OpType == "Concat" && n.Name.StartsWith("1/", StringComparison.Ordinal));
        Assert.Contains(proto.Graph.Initializer, i => i.Name == "1.left.0.weight");
    }

    [Fact]
    public void Class_names_must_match_the_number_of_logits()
    {
        using var model = Classifier(new ReLU());
        var error = Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, Options(3)));
        Assert.Contains("3 class names", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 logits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolution_the_model_cannot_take_is_an_error_naming_it()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3), new Flatten(), new Linear(4 * 6 * 6, 2));
        var error = Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, Options(2, size: 10)));
        Assert.Contains("3x10x10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_and_std_must_have_one_value_per_channel()
    {
        using var model = Classifier(new ReLU());
        var options = Options(2) with { Preprocessing = new OnnxPreprocessing(8, 8, OnnxChannelOrder.Rgb, new[] { 0.5 }, new[] { 0.2, 0.2, 0.2 }) };
        var error = Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, options));
        Assert.Contains("mean has 1 values", error.Message, StringComparison.Ordinal);
        var zeroStd = Options(2) with { Preprocessing = new OnnxPreprocessing(8, 8, OnnxChannelOrder.Rgb, new[] { 0.5, 0.5, 0.5 }, new[] { 0.2, 0.0, 0.2 }) };
        Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, zeroStd));
    }

    [Fact]
    public void BatchNorm_without_running_statistics_cannot_be_exported()
    {
        using var model = Classifier(new BatchNorm2d(4, trackRunningStats: false));
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("running statistics", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adaptive_pooling_to_more_than_one_cell_is_refused_with_the_path()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1), new AdaptiveAvgPool2d(2), new Flatten(), new Linear(16, 2));
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_float64_model_is_refused_naming_the_parameter()
    {
        using var model = Classifier(new ReLU());
        model.To(ScalarType.Float64);
        var error = Assert.Throws<NotSupportedException>(() => new OnnxModuleExporter().Export(model, Options(2)));
        Assert.Contains("'0.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_leaves_every_module_in_the_mode_it_found_it()
    {
        using var model = Classifier(new Sequential(new BatchNorm2d(4), new Dropout(0.5)));
        ((Sequential)model[1])[1].Eval();
        var before = model.Modules().Select(m => m.IsTraining).ToList();
        new OnnxModuleExporter().Export(model, Options(2));
        Assert.Equal(before, model.Modules().Select(m => m.IsTraining));
    }

    [Fact]
    public void Reserved_metadata_keys_cannot_be_overridden()
    {
        using var model = Classifier(new ReLU());
        var options = Options(2) with { Metadata = new Dictionary<string, string> { ["class_names"] = "[]" } };
        Assert.Throws<ArgumentException>(() => new OnnxModuleExporter().Export(model, options));
    }

    [Fact]
    public void Exporting_to_an_existing_file_is_an_error_and_leaves_it_untouched()
    {
        using var model = Classifier(new ReLU());
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
        using var model = Classifier(new ReLU());
        var proto = new OnnxModuleExporter().Export(model, Options(2) with { IncludeProbabilities = false });
        Assert.Equal(new[] { "logits" }, proto.Graph.Output.Select(o => o.Name));
        Assert.Equal(new[] { "input" }, proto.Graph.Input.Select(i => i.Name));
    }

    [Fact]
    public void Export_frees_every_tensor_it_makes()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new Linear(8, 3), new Flatten(), new Linear(96, 2));
        new OnnxModuleExporter().Export(model, Options(2));
        var before = Tensor.LiveCount;
        for (var i = 0; i < 3; i++)
        {
            new OnnxModuleExporter().Export(model, Options(2));
        }

        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Within_names_nodes_and_parameters_under_a_child_path_for_multi_input_parts()
    {
        using var model = Classifier(new BranchBlock(4));
        string? innerPath = null;
        var registry = OnnxConverterRegistry.CreateDefault().Register<BranchBlock>((context, block, input) =>
        {
            // As a cell converter would: its node reads two values, emitted under the child's own path.
            var left = context.Within("left", c =>
            {
                innerPath = c.ModulePath;
                return c.Emit(block.Left, input);
            });
            var right = context.EmitChild("right", block.Right, input);
            var both = context.Within("mix", c => c.Graph.Add(left, right));
            return context.Graph.Add(both, input);
        });
        var proto = new OnnxModuleExporter(registry).Export(model, Options(2));
        Assert.Equal("1.left", innerPath);
        Assert.Contains(proto.Graph.Node, n => n.Name == "1.mix/Add");
        Assert.Contains(proto.Graph.Node, n => n.Name == "1.left.0/Conv");
        Assert.Contains(proto.Graph.Initializer, i => i.Name == "1.left.0.weight");
        Assert.Contains(proto.Graph.Initializer, i => i.Name == "1.right.bias");
    }
}
