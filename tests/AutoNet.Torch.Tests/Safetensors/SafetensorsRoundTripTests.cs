using System.Text.Json.Nodes;
using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests.Safetensors;

/// <summary>Round trips of every dtype, and exchange in both directions with an independent Python reader/writer.</summary>
public sealed class SafetensorsRoundTripTests : IDisposable
{
    private static readonly ScalarType[] AllTypes =
    {
        ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64,
        ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.UInt8, ScalarType.Bool,
    };

    private readonly string folder = Directory.CreateTempSubdirectory("autonet-safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Every_dtype_round_trips_with_equal_values_shapes_and_metadata()
    {
        using var scope = Torch.NewDisposeScope();
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
        using var scope = Torch.NewDisposeScope();
        var path = Path.Combine(folder, "order.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor>
        {
            ["zeta"] = Torch.Ones(new long[] { 3 }, ScalarType.Int8),
            ["alpha"] = Torch.Ones(new long[] { 2 }),
            ["mid"] = Torch.Ones(new long[] { 1 }, ScalarType.Float64),
        });
        var header = SafetensorsFile.ReadHeader(path);
        Assert.Equal(0, header.DataStart % 8);
        Assert.Equal(new[] { "alpha", "mid", "zeta" }, header.Tensors.OrderBy(t => t.Begin).Select(t => t.Name));
        Assert.Equal(new FileInfo(path).Length, header.DataStart + 8 + 8 + 3);
    }

    [Fact]
    public void Reading_selected_names_returns_only_those_and_an_unknown_name_is_an_error()
    {
        using var scope = Torch.NewDisposeScope();
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
        using var scope = Torch.NewDisposeScope();
        var path = Path.Combine(folder, "replace.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["a"] = Torch.Ones(new long[] { 1000 }) });
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["b"] = Torch.Zeros(new long[] { 2 }) });
        using var content = SafetensorsFile.Read(path);
        Assert.Equal(new[] { "b" }, content.Tensors.Keys);
        Assert.Single(Directory.GetFiles(folder));
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["__metadata__"] = Torch.Ones(new long[] { 1 }) }));
        using var still = SafetensorsFile.Read(path);
        Assert.Equal(new[] { "b" }, still.Tensors.Keys);
    }

    [Fact]
    public void Files_cross_between_AutoNet_and_an_independent_python_implementation_with_equal_values()
    {
        using var scope = Torch.NewDisposeScope();
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
        return Torch.FromBytes(Convert.FromBase64String(node["data"]!.GetValue<string>()), dtype, shape);
    }

    private static void AssertSame(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(expected.Equal(actual), $"{what}: values differ");
    }

    private static Dictionary<string, Tensor> SampleTensors()
    {
        Torch.ManualSeed(21);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < AllTypes.Length; i++)
        {
            var type = AllTypes[i];
            var shape = new long[] { 3, i + 1, 2 };
            result[$"t.{SafetensorsDType.NameOf(type).ToLowerInvariant()}"] = type switch
            {
                ScalarType.Bool => Torch.Rand(shape).Gt(0.5),
                ScalarType.UInt8 => Torch.RandInt(0, 256, shape, type),
                _ when type.IsFloatingPoint() => Torch.Randn(shape).Mul(3.0).To(type),
                _ => Torch.RandInt(-128, 128, shape, type),
            };
        }

        result["scalar"] = Torch.Scalar(1.25, ScalarType.Float64);
        result["empty"] = Torch.Zeros(new long[] { 0, 5 });
        return result;
    }
}
