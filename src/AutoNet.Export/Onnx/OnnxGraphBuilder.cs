using System.Globalization;
using System.Runtime.InteropServices;
using AutoNet.Export.Onnx.Proto;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Export.Onnx;

/// <summary>
/// Assembles one ONNX graph (default domain, one opset) and wraps it in a ModelProto. Every value, node and
/// initializer name is made unique here, so converters pass hints (a module path, an op type) and use the
/// returned names. Names of nodes are prefixed by the current <see cref="BeginScope"/> (the module path), so an
/// error from a checker or runtime points back at the module that emitted the node.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>The lowest opset we emit: Softmax with per-axis semantics, Clip with tensor bounds.</summary>
    public const int MinimumOpset = 13;

    /// <summary>The highest opset that onnx 1.12 (Debian's python3-onnx, our checker) knows.</summary>
    public const int MaximumOpset = 17;

    // Shape-preserving ops: their output has the rank of their first input, which lets Linear choose Gemm
    // (2-D only) when it can prove its input is 2-D.
    private static readonly HashSet<string> RankPreservingOps = new(StringComparer.Ordinal)
    {
        "Relu", "Sigmoid", "Tanh", "Clip", "HardSwish", "HardSigmoid", "Identity", "Erf", "Softmax", "Dropout",
        "BatchNormalization", "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Slice", "Neg", "Abs", "Exp",
    };

    private readonly GraphProto graph;
    private readonly List<StringStringEntryProto> metadata = new();
    private readonly HashSet<string> usedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> ranks = new(StringComparer.Ordinal);
    private readonly Stack<string> scopes = new();

    public OnnxGraphBuilder(string graphName = "autonet", int opset = MaximumOpset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        if (opset is < MinimumOpset or > MaximumOpset)
        {
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"opset must be between {MinimumOpset} and {MaximumOpset}");
        }

        Opset = opset;
        graph = new GraphProto { Name = graphName };
    }

    public int Opset { get; }

    /// <summary>The IR version that goes with <see cref="Opset"/> (the ONNX versioning table: opset 13–14 → IR 7, 15–17 → IR 8).</summary>
    public long IrVersion => Opset <= 14 ? 7 : 8;

    public IReadOnlyList<NodeProto> Nodes => graph.Node;

    /// <summary>The innermost name scope (a module path), "" outside any.</summary>
    public string Scope => scopes.Count == 0 ? string.Empty : scopes.Peek();

    /// <summary>Prefixes the names of nodes created until the returned handle is disposed.</summary>
    public IDisposable BeginScope(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        scopes.Push(name);
        return new ScopeHandle(this);
    }

    /// <summary>Returns <paramref name="hint"/>, or hint_1, hint_2, … if it is taken; every name in the graph passes through here.</summary>
    public string UniqueName(string hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hint);
        if (usedNames.Add(hint))
        {
            return hint;
        }

        for (var i = 1; ; i++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{hint}_{i}");
            if (usedNames.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private string Scoped(string name) => scopes.Count == 0 ? name : Scope + "/" + name;

    // ---- inputs, outputs, initializers -----------------------------------------------------------

    /// <summary>Declares a float32 graph input; use a symbolic dimension (e.g. "batch") for sizes chosen at run time.</summary>
    public string AddInput(string name, params OnnxDimension[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var unique = UniqueName(name);
        if (unique != name)
        {
            throw new ArgumentException($"graph input name '{name}' is already used", nameof(name));
        }

        graph.Input.Add(ValueInfo(name, shape));
        ranks[name] = shape.Length;
        return name;
    }

    /// <summary>Declares an existing value as a float32 graph output with the given shape.</summary>
    public void AddOutput(string value, params OnnxDimension[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!usedNames.Contains(value))
        {
            throw new ArgumentException($"'{value}' is not a value of this graph", nameof(value));
        }

        if (graph.Output.Any(o => o.Name == value))
        {
            throw new ArgumentException($"'{value}' is already a graph output", nameof(value));
        }

        graph.Output.Add(ValueInfo(value, shape));
    }

    private static ValueInfoProto ValueInfo(string name, OnnxDimension[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dimension in shape)
        {
            tensorShape.Dim.Add(dimension.Parameter is { } parameter
                ? new TensorShapeProto.Types.Dimension { DimParam = parameter }
                : new TensorShapeProto.Types.Dimension { DimValue = dimension.Value!.Value });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }

    /// <summary>Adds a constant holding a copy of <paramref name="tensor"/> (any device; float32, float64, int64, int32, uint8 or bool).</summary>
    public string AddInitializer(string nameHint, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        var contiguous = tensor.detach().cpu().contiguous();
        var (type, bytes) = contiguous.dtype switch
        {
            ScalarType.Float32 => (TensorProto.Types.DataType.Float, Bytes(contiguous.data<float>().ToArray())),
            ScalarType.Float64 => (TensorProto.Types.DataType.Double, Bytes(contiguous.data<double>().ToArray())),
            ScalarType.Int64 => (TensorProto.Types.DataType.Int64, Bytes(contiguous.data<long>().ToArray())),
            ScalarType.Int32 => (TensorProto.Types.DataType.Int32, Bytes(contiguous.data<int>().ToArray())),
            ScalarType.Byte => (TensorProto.Types.DataType.Uint8, contiguous.data<byte>().ToArray()),
            ScalarType.Bool => (TensorProto.Types.DataType.Bool, Bytes(contiguous.data<bool>().ToArray())),
            var other => throw new NotSupportedException($"initializer '{nameHint}': {other} tensors cannot be exported; convert to float32 first"),
        };
        return AddRaw(nameHint, type, contiguous.shape, bytes);
    }

    public string AddInitializer(string nameHint, float[] values, params long[] shape) =>
        AddRaw(nameHint, TensorProto.Types.DataType.Float, CheckShape(nameHint, values.Length, shape), Bytes(values));

    public string AddInitializer(string nameHint, long[] values, params long[] shape) =>
        AddRaw(nameHint, TensorProto.Types.DataType.Int64, CheckShape(nameHint, values.Length, shape), Bytes(values));

    /// <summary>A float32 scalar constant (rank 0), e.g. Clip's bounds.</summary>
    public string AddScalar(string nameHint, float value) => AddInitializer(nameHint, new[] { value });

    private static long[] CheckShape(string name, int count, long[] shape)
    {
        var expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
        {
            throw new ArgumentException($"initializer '{name}': shape [{string.Join(", ", shape)}] holds {expected} values, {count} were given", nameof(shape));
        }

        return shape;
    }

    private string AddRaw(string nameHint, TensorProto.Types.DataType type, long[] shape, byte[] bytes)
    {
        var name = UniqueName(nameHint);
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        proto.Dims.AddRange(shape);
        graph.Initializer.Add(proto);
        ranks[name] = shape.Length;
        return name;
    }

    private static byte[] Bytes<T>(T[] values)
        where T : unmanaged
    {
        // raw_data is little-endian by the spec; so is every platform .NET and libtorch run on together.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; big-endian hosts are not supported");
        }

        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    // ---- nodes ---------------------------------------------------------------------------------

    /// <summary>Adds a node of the default domain with one output and returns the output's name.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        AddNode(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs, named after the scope and op type.</summary>
    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, int outputCount, params AttributeProto[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        foreach (var input in inputs)
        {
            // "" is ONNX's way of leaving an optional input out.
            if (input.Length > 0 && !usedNames.Contains(input))
            {
                throw new ArgumentException($"{opType} at '{Scoped(opType)}': input '{input}' is not a value of this graph", nameof(inputs));
            }
        }

        var nodeName = UniqueName(Scoped(opType));
        var node = new NodeProto { Name = nodeName, OpType = opType };
        node.Input.AddRange(inputs);
        var outputs = new List<string>(outputCount);
        for (var i = 0; i < outputCount; i++)
        {
            outputs.Add(UniqueName(outputCount == 1 ? nodeName + "_output" : string.Create(CultureInfo.InvariantCulture, $"{nodeName}_output{i}")));
        }

        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        if (RankPreservingOps.Contains(opType) && inputs.Count > 0 && ranks.TryGetValue(inputs[0], out var rank))
        {
            ranks[outputs[0]] = rank;
        }

        return outputs;
    }

    /// <summary>Adds a node whose outputs get exactly the given names (e.g. a graph output "logits"); they must be unused.</summary>
    public void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputNames, params AttributeProto[] attributes)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        foreach (var name in outputNames)
        {
            if (usedNames.Contains(name))
            {
                throw new ArgumentException($"{opType}: output name '{name}' is already used", nameof(outputNames));
            }
        }

        var generated = AddNode(opType, inputs, outputNames.Count, attributes);
        var node = graph.Node[^1];
        for (var i = 0; i < generated.Count; i++)
        {
            usedNames.Remove(generated[i]);
            usedNames.Add(outputNames[i]);
            node.Output[i] = outputNames[i];
            if (ranks.Remove(generated[i], out var rank))
            {
                ranks[outputNames[i]] = rank;
            }
        }
    }

    /// <summary>The rank of a value when the builder can tell (inputs, initializers, shape-preserving ops, or one set by a converter).</summary>
    public int? RankOf(string value) => ranks.TryGetValue(value, out var rank) ? rank : null;

    /// <summary>Records the rank of a value a converter knows (e.g. Flatten's output is 2-D).</summary>
    public void SetRank(string value, int rank) => ranks[value] = rank;

    public string Add(string a, string b) => AddNode("Add", new[] { a, b });

    public string Sub(string a, string b) => AddNode("Sub", new[] { a, b });

    public string Mul(string a, string b) => AddNode("Mul", new[] { a, b });

    public string Div(string a, string b) => AddNode("Div", new[] { a, b });

    public string Concat(IReadOnlyList<string> inputs, long axis)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one input", nameof(inputs));
        }

        var output = AddNode("Concat", inputs, OnnxAttribute.Int("axis", axis));
        if (ranks.TryGetValue(inputs[0], out var rank))
        {
            ranks[output] = rank;
        }

        return output;
    }

    public string Softmax(string input, long axis = -1) => AddNode("Softmax", new[] { input }, OnnxAttribute.Int("axis", axis));

    public string Identity(string input) => AddNode("Identity", new[] { input });

    public string Relu(string input) => AddNode("Relu", new[] { input });

    public string Sigmoid(string input) => AddNode("Sigmoid", new[] { input });

    /// <summary>Adds a metadata entry (model-level <c>metadata_props</c>); keys are unique.</summary>
    public void SetMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        metadata.RemoveAll(m => m.Key == key);
        metadata.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    // ---- model ---------------------------------------------------------------------------------

    /// <summary>Wraps a copy of the graph in a model with the IR version and opset import that go together.</summary>
    public ModelProto Build(string producerVersion = "", string docString = "")
    {
        if (graph.Output.Count == 0)
        {
            throw new InvalidOperationException("the graph has no outputs; declare them with AddOutput");
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "AutoNet",
            ProducerVersion = producerVersion,
            ModelVersion = 1,
            DocString = docString,
            Graph = graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        model.MetadataProps.AddRange(metadata.Select(m => m.Clone()));
        return model;
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically: to a temporary file in the same folder,
    /// flushed, then renamed over the target, so a reader never sees half a model. An existing file is an error
    /// unless <paramref name="overwrite"/> is set.
    /// </summary>
    public static void Save(ModelProto model, string path, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"{full} already exists; choose another path or allow overwriting");
        }

        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"the folder {folder} for {Path.GetFileName(full)} does not exist");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private sealed class ScopeHandle(OnnxGraphBuilder owner) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                owner.scopes.Pop();
            }
        }
    }
}
