using AutoNet.Export.Onnx;
using AutoNet.Export.Onnx.Proto;
using Google.Protobuf;
using TorchSharp;

namespace AutoNet.Export.Tests.Onnx;

public sealed class OnnxGraphBuilderTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "autonet-onnx-builder-" + Guid.NewGuid().ToString("N"));

    public OnnxGraphBuilderTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static OnnxGraphBuilder TinyGraph(int opset = OnnxGraphBuilder.MaximumOpset)
    {
        var g = new OnnxGraphBuilder("tiny", opset);
        var x = g.AddInput("x", "batch", 4);
        var y = g.Relu(x);
        g.AddNode("Identity", new[] { y }, new[] { "y" });
        g.AddOutput("y", "batch", 4);
        return g;
    }

    [Fact]
    public void Unique_name_appends_a_counter_when_a_hint_is_taken()
    {
        var g = new OnnxGraphBuilder();
        Assert.Equal("conv", g.UniqueName("conv"));
        Assert.Equal("conv_1", g.UniqueName("conv"));
        Assert.Equal("conv_2", g.UniqueName("conv"));
        Assert.Equal("relu", g.UniqueName("relu"));
    }

    [Fact]
    public void Nodes_are_named_after_the_current_scope_and_outputs_never_collide()
    {
        var g = new OnnxGraphBuilder();
        var x = g.AddInput("x", "batch", 2);
        string a, b;
        using (g.BeginScope("features.0"))
        {
            a = g.Relu(x);
            b = g.Relu(a);
        }

        var c = g.Relu(b);
        Assert.Equal(new[] { "features.0/Relu", "features.0/Relu_1", "Relu" }, g.Nodes.Select(n => n.Name));
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        Assert.Equal(string.Empty, g.Scope);
    }

    [Fact]
    public void Inputs_of_a_node_must_be_values_of_the_graph()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", "batch", 2);
        var error = Assert.Throws<ArgumentException>(() => g.AddNode("Add", new[] { "x", "nowhere" }));
        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => g.AddOutput("nowhere", 2));
        Assert.Throws<ArgumentException>(() => g.AddInput("x", 2));
    }

    [Fact]
    public void Initializers_hold_the_tensor_bytes_and_shape_and_survive_a_round_trip()
    {
        var g = TinyGraph();
        using var range = torch.arange(0, 6, dtype: torch.ScalarType.Float32);
        using var tensor = range.reshape(2, 3);
        var name = g.AddInitializer("layer.weight", tensor);
        var again = g.AddInitializer("layer.weight", new long[] { 0, -1 }, 2);
        var model = ModelProto.Parser.ParseFrom(g.Build().ToByteArray());

        var weight = model.Graph.Initializer.Single(i => i.Name == name);
        Assert.Equal("layer.weight", name);
        Assert.Equal(new long[] { 2, 3 }, weight.Dims);
        Assert.Equal((int)TensorProto.Types.DataType.Float, weight.DataType);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray());

        var shape = model.Graph.Initializer.Single(i => i.Name == again);
        Assert.Equal("layer.weight_1", again);
        Assert.Equal((int)TensorProto.Types.DataType.Int64, shape.DataType);
        Assert.Equal(new long[] { 0, -1 }, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(shape.RawData.Span).ToArray());
    }

    [Fact]
    public void Initializer_values_must_fill_the_shape()
    {
        var g = new OnnxGraphBuilder();
        Assert.Throws<ArgumentException>(() => g.AddInitializer("w", new float[] { 1, 2, 3 }, 2, 2));
    }

    [Fact]
    public void Build_sets_the_ir_version_that_goes_with_the_opset_and_the_metadata()
    {
        var g = TinyGraph(13);
        g.SetMetadata("k", "first");
        g.SetMetadata("k", "second");
        var model = g.Build("1.2.3", "doc");
        Assert.Equal(7, model.IrVersion);
        Assert.Equal(13, model.OpsetImport.Single().Version);
        Assert.Equal("AutoNet", model.ProducerName);
        Assert.Equal("second", model.MetadataProps.Single(m => m.Key == "k").Value);
        Assert.Equal(8, TinyGraph(17).Build().IrVersion);
        Assert.Equal("batch", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(4, model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue);
    }

    [Fact]
    public void Opsets_outside_what_the_checker_knows_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder(opset: 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder(opset: 18));
    }

    [Fact]
    public void A_graph_without_outputs_cannot_be_built()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", 1);
        Assert.Throws<InvalidOperationException>(() => g.Build());
    }

    [Fact]
    public void Save_refuses_to_overwrite_unless_asked_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(folder, "model.onnx");
        OnnxGraphBuilder.Save(TinyGraph().Build(), path);
        var first = File.ReadAllBytes(path);
        Assert.Throws<IOException>(() => OnnxGraphBuilder.Save(TinyGraph(13).Build(), path));
        Assert.Equal(first, File.ReadAllBytes(path));

        OnnxGraphBuilder.Save(TinyGraph(13).Build(), path, overwrite: true);
        Assert.Equal(7, ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).IrVersion);
        Assert.Equal(new[] { "model.onnx" }, Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Throws<DirectoryNotFoundException>(() => OnnxGraphBuilder.Save(TinyGraph().Build(), Path.Combine(folder, "missing", "m.onnx")));
    }

    [Fact]
    public void A_hand_built_graph_passes_the_onnx_checker()
    {
        var g = TinyGraph();
        var path = Path.Combine(folder, "tiny.onnx");
        OnnxGraphBuilder.Save(g.Build(), path);
        var result = OnnxPeers.CheckModels(new[] { path }).Single()!;
        Assert.True(result["ok"]!.GetValue<bool>(), result["error"]?.ToString());
    }
}
