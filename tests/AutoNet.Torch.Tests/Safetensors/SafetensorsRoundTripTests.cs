using System.Text.Json.Nodes;
using AutoNet.Torch.Safetensors;
using TorchSharp;
using static TorchSharp.torch;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests.Safetensors;

/// <summary>Round trips of every dtype, and exchange in both directions with an independent Python reader/writer.</summary>
public sealed class SafetensorsRoundTripTests : IDisposable
{
    private static readonly ScalarType[] AllTypes =
    {
        ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64,
        ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    };

    private readonly string folder = Directory.CreateTempSubdirectory("autonet-safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Every_dtype_round_trips_with_equal_values_shapes_and_metadata()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SampleTensors();
        var path = Path.Combine(folder, "all.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" };
        SafetensorsFile.Write(path, tensors, metadata);

        using var content = SafetensorsFile.Read(path);
        Assert.Equal(tensors.Keys.Order(), content.Tensors.Keys.Order());
        foreach (var (name, expected) in tensors)
        {
            AssertSame(expected, content[name], name);
        }

        Assert.Equal(metadata, content.Metadata);
        Assert.Equal(new[] { "all.safetensors" }, Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Header_is_padded_to_eight_bytes_and_names_are_sorted()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(folder, "order.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor>
        {
            ["zeta"] = torch.ones(3, ScalarType.Int8),
            ["alpha"] = torch.ones(2),
            ["mid"] = torch.ones(1, ScalarType.Float64),
        });
        var header = SafetensorsFile.ReadHeader(path);
        Assert.Equal(0, header.DataStart % 8);
        Assert.Equal(new[] { "alpha", "mid", "zeta" }, header.Tensors.OrderBy(t => t.Begin).Select(t => t.Name));
        Assert.Equal(new FileInfo(path).Length, header.DataStart + 8 + 8 + 3);
    }

    [Fact]
    public void Reading_selected_names_returns_only_those_and_an_unknown_name_is_an_error()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SampleTensors();
        var path = Path.Combine(folder, "some.safetensors");
        SafetensorsFile.Write(path, tensors);
        using (var some = SafetensorsFile.Read(path, new[] { "t.i16", "t.f32" }))
        {
            Assert.Equal(new[] { "t.f32", "t.i16" }, some.Tensors.Keys.Order());
            AssertSame(tensors["t.i16"], some["t.i16"], "t.i16");
        }

        var error = Assert.Throws<KeyNotFoundException>(() => SafetensorsFile.Read(path, new[] { "t.f32", "nope" }));
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public void Writing_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(folder, "replace.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["a"] = torch.ones(1000) });
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["b"] = torch.zeros(2) });
        using var content = SafetensorsFile.Read(path);
        Assert.Equal(new[] { "b" }, content.Tensors.Keys);
        Assert.Single(Directory.GetFiles(folder));
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["__metadata__"] = torch.ones(1) }));
        using var still = SafetensorsFile.Read(path);
        Assert.Equal(new[] { "b" }, still.Tensors.Keys);
    }

    [Fact]
    public void Files_cross_between_AutoNet_and_an_independent_python_implementation_with_equal_values()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SampleTensors();
        var ours = Path.Combine(folder, "autonet.safetensors");
        var theirs = Path.Combine(folder, "python.safetensors");
        SafetensorsFile.Write(ours, tensors, new Dictionary<string, string> { ["source"] = "autonet" });
        var reply = PythonReference.Run("safetensors_reference.py", new JsonObject { ["read"] = ours, ["write"] = theirs });

        // Python read what AutoNet wrote.
        var read = reply["read"]!;
        Assert.Equal(0, read["header_length"]!.GetValue<long>() % 8);
        Assert.Equal("autonet", read["metadata"]!["source"]!.GetValue<string>());
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), read["order"]!.AsArray().Select(n => n!.GetValue<string>()));
        foreach (var (name, expected) in tensors)
        {
            AssertSame(expected, DecodeRaw(read["tensors"]![name]!), $"python's read of {name}");
        }

        // AutoNet reads what Python wrote (data ordered by element size, not by name).
        var written = reply["write"]!;
        using var content = SafetensorsFile.Read(theirs);
        var expectedNames = written["tensors"]!.AsObject().Select(kv => kv.Key).Order().ToArray();
        Assert.Equal(12, expectedNames.Length);
        Assert.Equal(expectedNames, content.Tensors.Keys.Order());
        foreach (var name in expectedNames)
        {
            AssertSame(DecodeRaw(written["tensors"]![name]!), content[name], $"AutoNet's read of python's {name}");
        }

        Assert.Equal("safetensors_reference.py", content.Metadata["writer"]);
    }

    internal static Tensor DecodeRaw(JsonNode node)
    {
        Assert.True(SafetensorsDType.TryParse(node["dtype"]!.GetValue<string>(), out var dtype));
        var shape = node["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
        var bytes = Convert.FromBase64String(node["data"]!.GetValue<string>());
        var tensor = torch.empty(shape, dtype);
        if (bytes.Length > 0)
        {
            tensor.bytes = bytes;
        }

        return tensor;
    }

    private static void AssertSame(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.equal(actual).all().item<bool>(), $"{what}: values differ");
    }

    private static Dictionary<string, Tensor> SampleTensors()
    {
        torch.manual_seed(21);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < AllTypes.Length; i++)
        {
            var type = AllTypes[i];
            var shape = new long[] { 3, i + 1, 2 };
            result[$"t.{SafetensorsDType.NameOf(type).ToLowerInvariant()}"] = type switch
            {
                ScalarType.Bool => torch.rand(shape).gt(0.5),
                ScalarType.Byte => torch.randint(0, 256, shape, type),
                _ when torch.is_floating_point(torch.empty(0, type)) => torch.randn(shape).mul(3.0).to(type),
                _ => torch.randint(-128, 128, shape, type),
            };
        }

        result["scalar"] = torch.tensor(1.25, ScalarType.Float64);
        result["empty"] = torch.zeros(0, 5);
        return result;
    }
}
