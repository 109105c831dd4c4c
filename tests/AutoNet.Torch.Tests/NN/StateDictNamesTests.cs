using System.Text.Json.Nodes;
using AutoNet.Torch.NN;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests;

/// <summary>State dicts are interchangeable with PyTorch: the same keys, order, shapes and dtypes, and PyTorch's load into ours.</summary>
public sealed class StateDictNamesTests
{
    [Fact]
    public void Nested_models_have_pytorchs_state_dict_keys_shapes_and_dtypes_in_order()
    {
        using var scope = Torch.NewDisposeScope();
        var models = new (Func<Module> Build, JsonObject Spec)[]
        {
            (() => new Sequential(
                    new Sequential(new Conv2d(3, 8, 3, padding: 1, bias: false), new BatchNorm2d(8), new ReLU()),
                    new AdaptiveAvgPool2d(1), new Flatten(), new Dropout(0.2), new Linear(8, 10)),
                Seq(Seq(S("Conv2d", new JsonArray(3, 8, 3), new JsonObject { ["padding"] = 1, ["bias"] = false }), S("BatchNorm2d", new JsonArray(8)), S("ReLU")),
                    S("AdaptiveAvgPool2d", new JsonArray(1)), S("Flatten"), S("Dropout", new JsonArray(0.2)), S("Linear", new JsonArray(8, 10)))),
            (() => new LSTM(4, 6, numLayers: 2), S("LSTM", new JsonArray(4, 6), new JsonObject { ["num_layers"] = 2 })),
            (() => new Sequential(new LayerNorm(5), new GroupNorm(1, 5), new BatchNorm1d(5, affine: false), new Embedding(4, 5), new LSTMCell(5, 2)),
                Seq(S("LayerNorm", new JsonArray(5)), S("GroupNorm", new JsonArray(1, 5)), S("BatchNorm1d", new JsonArray(5), new JsonObject { ["affine"] = false }),
                    S("Embedding", new JsonArray(4, 5)), S("LSTMCell", new JsonArray(5, 2)))),
            (() => new ModuleDict().Add("stem", new Conv2d(1, 2, 1)).Add("cells", new ModuleList(new BatchNorm2d(2), new Linear(2, 2, bias: false))),
                new JsonObject
                {
                    ["type"] = "ModuleDict",
                    ["children"] = new JsonObject
                    {
                        ["stem"] = S("Conv2d", new JsonArray(1, 2, 1)),
                        ["cells"] = new JsonObject { ["type"] = "ModuleList", ["children"] = new JsonArray(S("BatchNorm2d", new JsonArray(2)), S("Linear", new JsonArray(2, 2), new JsonObject { ["bias"] = false })) },
                    },
                }),
        };

        var reply = PythonReference.Run("modules_reference.py", new JsonObject { ["names"] = new JsonArray(models.Select(m => (JsonNode)m.Spec).ToArray()) });
        for (var i = 0; i < models.Length; i++)
        {
            using var model = models[i].Build();
            var expected = reply["names"]![i]!.AsArray()
                .Select(e => $"{e![0]} [{string.Join(",", e[1]!.AsArray().Select(d => (long)d!))}] {e[2]}").ToList();
            var actual = model.StateDict()
                .Select(e => $"{e.Key} [{string.Join(",", e.Value.Shape)}] {DTypeName(e.Value.DType)}").ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_state_dict_saved_by_pytorch_loads_and_gives_pytorchs_output()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(4);
        var input = Torch.Randn(new long[] { 2, 3, 6, 6 });
        var spec = Seq(S("Conv2d", new JsonArray(3, 4, 3), new JsonObject { ["stride"] = 2 }), S("BatchNorm2d", new JsonArray(4)), S("ReLU6"),
            S("Flatten"), S("Linear", new JsonArray(16, 3)));
        var reply = PythonReference.Run("modules_reference.py", new JsonObject
        {
            ["from_torch"] = new JsonArray(new JsonObject { ["spec"] = spec, ["input"] = PythonReference.Encode(input) }),
        })["from_torch"]![0]!;
        using var model = new Sequential(new Conv2d(3, 4, 3, stride: 2), new BatchNorm2d(4), new ReLU6(), new Flatten(), new Linear(16, 3));
        var state = reply["state"]!.AsObject().ToDictionary(p => p.Key, p => PythonReference.Decode(p.Value!));
        model.LoadStateDict(state);
        Assert.Equal(2L, model.StateDict()["1.num_batches_tracked"].Item<long>());
        model.Eval();
        using var output = model.Forward(input);
        TensorAssert.Close(PythonReference.Decode(reply["output"]!), output, what: "output with PyTorch's weights");
    }

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Int64 => "int64",
        _ => type.ToString(),
    };

    private static JsonObject S(string type, JsonArray? args = null, JsonObject? kwargs = null) =>
        new() { ["type"] = type, ["args"] = args ?? new JsonArray(), ["kwargs"] = kwargs ?? new JsonObject() };

    private static JsonObject Seq(params JsonObject[] children) => new() { ["type"] = "Sequential", ["children"] = new JsonArray(children) };
}
