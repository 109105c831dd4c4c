using System.Text.Json.Nodes;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Models.Architecture;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>
/// A package's standalone model.py, run by /usr/bin/python3 with only torch and numpy, must rebuild each network kind,
/// load weights.safetensors strictly and give AutoNet's probabilities within 1e-4.
/// </summary>
public sealed class PyTorchSourceGeneratorTests(ModelPyFixture fixture) : IClassFixture<ModelPyFixture>
{
    private const float Tolerance = 1e-4f;

    public static TheoryData<string> Cases => new(ModelParityModels.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Model_py_gives_autonet_probabilities_logits_and_features(string name)
    {
        var result = fixture.Results[name];
        var classes = result.Logits.Length / ModelPyFixture.Batch;
        Assert.Equal(new long[] { ModelPyFixture.Batch, classes }, result.Python["probabilities"].Dims);
        Assert.Equal(new long[] { ModelPyFixture.Batch, result.Features.Length / ModelPyFixture.Batch }, result.Python["features"].Dims);
        AssertClose(name, "probabilities", result.Probabilities, result.Python["probabilities"].Data, Tolerance);

        // Logits and features relative to their size once above 1: float32 sums in another order differ in the last bits.
        AssertClose(name, "logits", result.Logits, result.Python["logits"].Data, Tolerance * Math.Max(1f, result.Logits.Max(Math.Abs)));
        AssertClose(name, "features", result.Features, result.Python["features"].Data, Tolerance * Math.Max(1f, result.Features.Max(Math.Abs)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Model_py_loads_in_eval_mode_with_the_class_names(string name)
    {
        var reply = fixture.Results[name].Reply;
        Assert.False(reply["training"]!.GetValue<bool>());
        var classes = reply["class_names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(fixture.Results[name].Logits.Length / ModelPyFixture.Batch, classes.Count);
        Assert.Equal($"\"class\" 0 \\ {name} ✓", classes[0]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Model_py_normalizes_raw_pixels_as_the_description_says(string name)
    {
        var result = fixture.Results[name];
        Assert.Equal(new long[] { 2, result.Case.Channels, result.Case.Size, result.Case.Size }, result.Python["normalized"].Dims);
        AssertClose(name, "normalized", result.Normalized, result.Python["normalized"].Data, 1e-5f);
    }

    [Fact]
    public void Model_py_builds_autonet_networks_from_the_description_in_model_json_with_no_class_per_piece()
    {
        var cell = fixture.Results["cell_network_darts_v2"];
        var package = Path.Combine(fixture.Folder, "cell_network_darts_v2");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(package, ModelPackage.DescriptionFile)))!;
        using var model = cell.Case.Build();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ArchitectureJson.Serialize(((ArchitectureModule)model).Description)), json["architecture"]!["description"]));
        var transfer = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture.Folder, "transfer_cell_head_on_resnet18", ModelPackage.DescriptionFile)))!;
        Assert.Equal("sequential", transfer["architecture"]!["head"]!["description"]!["op"]!.GetValue<string>());

        var source = File.ReadAllText(Path.Combine(package, ModelPackage.PyTorchFile));
        foreach (var piece in new[] { "class Cell(", "class SepConv", "class ResidualUnit", "class PlainUnit", "class CellHead", "class BasicBlock", "OPS = {" })
        {
            Assert.DoesNotContain(piece, source, StringComparison.Ordinal);
        }
    }

    private static void AssertClose(string name, string what, float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"{name} {what}: max |AutoNet − model.py| = {worst:G3} > {tolerance:G3}");
    }
}
