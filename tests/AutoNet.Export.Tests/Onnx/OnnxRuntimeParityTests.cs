using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoNet.Export.Descriptions;
using AutoNet.Models.Architecture;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>
/// Exported models against independent peers: python3-onnx's checker (full check, strict shape inference) and
/// ONNX Runtime — onnxruntime-node in its own process and ONNX Runtime for .NET in this one — which must reproduce
/// AutoNet's eval-mode logits and probabilities within 1e-4 at two batch sizes from one file (the batch dimension is
/// symbolic).
/// </summary>
public sealed class OnnxRuntimeParityTests(OnnxParityFixture fixture) : IClassFixture<OnnxParityFixture>
{
    private const float Tolerance = 1e-4f;

    public static TheoryData<string> Cases => new(OnnxParityFixture.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exported_model_passes_the_onnx_checker_with_strict_shape_inference(string name)
    {
        var check = fixture.Results[name].Check;
        Assert.True(check["ok"]!.GetValue<bool>(), $"{name}: {check["error"]}");
        var opset = fixture.Results[name].Case.Opset;
        Assert.Equal(opset, check["opsets"]![""]!.GetValue<int>());
        Assert.Equal(opset <= 14 ? 7 : 8, check["ir_version"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_gives_autonet_logits_and_probabilities_at_two_batch_sizes(string name)
    {
        var result = fixture.Results[name];
        AssertMatches(result, result.Runtime, "onnxruntime-node");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_in_process_gives_autonet_logits_and_probabilities(string name)
    {
        var result = fixture.Results[name];
        AssertMatches(result, result.InProcess, "ONNX Runtime for .NET");
    }

    private static void AssertMatches(ParityResult result, IReadOnlyList<IReadOnlyDictionary<string, (long[] Dims, float[] Data)>> runtime, string peer)
    {
        var name = result.Case.Name;
        Assert.Equal(OnnxParityFixture.BatchSizes.Length, runtime.Count);
        for (var b = 0; b < runtime.Count; b++)
        {
            var expected = result.Expected[b];
            var batch = expected.Shape[0];
            var classes = expected.Logits.Length / batch;
            foreach (var (output, values) in new[] { ("logits", expected.Logits), ("probabilities", expected.Probabilities) })
            {
                var (dims, data) = runtime[b][output];
                Assert.Equal(new[] { batch, classes }, dims);
                var worst = values.Zip(data, (e, a) => Math.Abs(e - a)).Max();

                // Probabilities are compared absolutely; logits relative to their size once above 1 (a randomly
                // initialised ResNet-50's logits reach the hundreds, where float32 sums of different order differ
                // by more than 1e-4 absolute).
                var tolerance = output == "logits" ? Tolerance * Math.Max(1f, values.Max(Math.Abs)) : Tolerance;
                Assert.True(worst <= tolerance, $"{name}, batch {batch}, {output}: max |AutoNet − {peer}| = {worst:G3} > {tolerance:G3}");
            }
        }
    }

    [Fact]
    public void Metadata_read_by_python_onnx_describes_preprocessing_and_classes()
    {
        var result = fixture.Results["depthwise_dilated_activations"];
        var check = result.Check;
        Assert.True(check["ok"]!.GetValue<bool>(), check["error"]?.ToString());
        var metadata = check["metadata"]!;
        var classes = JsonSerializer.Deserialize<string[]>(metadata["class_names"]!.GetValue<string>())!;
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"class {i} (depthwise_dilated_activations)"), classes);
        using var pre = JsonDocument.Parse(metadata["preprocessing"]!.GetValue<string>());
        var root = pre.RootElement;
        Assert.Equal("BGR", root.GetProperty("channel_order").GetString());
        Assert.Equal(12, root.GetProperty("height").GetInt32());
        Assert.Equal(12, root.GetProperty("width").GetInt32());
        Assert.Equal(3, root.GetProperty("channels").GetInt32());
        Assert.Equal("NCHW", root.GetProperty("layout").GetString());
        Assert.Equal(new[] { 0.485, 0.456, 0.406 }, root.GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(new[] { 0.229, 0.224, 0.225 }, root.GetProperty("std").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(1 / 255.0, root.GetProperty("pixel_scale").GetDouble());
        Assert.Equal("depthwise_dilated_activations", metadata["case"]!.GetValue<string>());

        var inputs = check["inputs"]!.AsObject();
        Assert.Equal("[\"batch\",3,12,12]", inputs["input"]!.ToJsonString());
        Assert.Equal("[\"batch\",4]", check["outputs"]!["logits"]!.ToJsonString());
        Assert.Equal("[\"batch\",4]", check["outputs"]!["probabilities"]!.ToJsonString());
    }

    [Fact]
    public void Every_leaf_and_combinator_of_the_vocabulary_is_exercised_by_a_parity_model()
    {
        var used = new HashSet<Type>();
        void Walk(ArchNode node)
        {
            used.Add(node.GetType());
            foreach (var child in node.Children)
            {
                Walk(child);
            }
        }

        foreach (var c in OnnxParityFixture.Cases)
        {
            using var model = c.Build();
            Walk(ModelDescriber.Describe(model));
        }

        var vocabulary = typeof(ArchNode).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToList();
        Assert.Equal(16, vocabulary.Count);
        Assert.Empty(vocabulary.Where(t => !used.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void Each_leaf_converter_emits_the_onnx_ops_it_is_meant_to()
    {
        string[] OpsOf(string name) => fixture.Results[name].Check["op_types"]!.AsArray().Select(o => o!.GetValue<string>()).ToArray();

        Assert.Subset(OpsOf("conv_bn_relu_classifier").ToHashSet(),
            new HashSet<string> { "Conv", "BatchNormalization", "Relu", "MaxPool", "Clip", "GlobalAveragePool", "Flatten", "Gemm", "Softmax" });
        Assert.Contains("Clip", OpsOf("opset13_clip"));
        Assert.Contains("GlobalMaxPool", OpsOf("pooling_with_padding"));
        Assert.Contains("MatMul", OpsOf("linear_on_feature_maps"));
        Assert.Contains("Gemm", OpsOf("linear_on_feature_maps"));
        Assert.Subset(OpsOf("described_branches_gates_and_graph").ToHashSet(), new HashSet<string> { "Concat", "Mul", "Add", "Sigmoid", "Slice", "MaxPool", "AveragePool" });
        Assert.DoesNotContain("Dropout", OpsOf("nested_identities_and_mlp_head"));
    }

    [Fact]
    public void The_every_op_genotype_uses_every_op_name_in_both_cells()
    {
        foreach (var cell in new[] { ModelParityModels.EveryOp.Normal, ModelParityModels.EveryOp.Reduction })
        {
            var ops = cell.Blocks.SelectMany(b => new[] { b.First.Op, b.Second.Op }).ToHashSet();
            Assert.Subset(ops, AutoNet.Models.Genotypes.OpNames.All.ToHashSet());
        }

        Assert.All(ModelParityModels.EveryOp.Reduction.Blocks, b => Assert.True(b.First.Input < 2 && b.Second.Input < 2));
    }

    [Fact]
    public void Model_converters_emit_the_onnx_ops_they_are_meant_to()
    {
        string[] OpsOf(string name) => fixture.Results[name].Check["op_types"]!.AsArray().Select(o => o!.GetValue<string>()).ToArray();

        Assert.Subset(OpsOf("cell_network_every_op").ToHashSet(), new HashSet<string> { "Slice", "Mul", "Concat", "MaxPool", "AveragePool", "Add" });
        Assert.Contains("GlobalMaxPool", OpsOf("macro_residual_strided_max"));
        Assert.Contains("AveragePool", OpsOf("macro_mixed_avgpool"));
        Assert.Subset(OpsOf("backbone_efficientnet_b0").ToHashSet(), new HashSet<string> { "Sigmoid", "Mul", "GlobalAveragePool" });
        Assert.DoesNotContain("Dropout", OpsOf("transfer_on_cell_network"));
    }
}
