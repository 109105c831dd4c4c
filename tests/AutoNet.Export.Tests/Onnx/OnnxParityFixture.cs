using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AutoNet.Export.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>
/// Exports every <see cref="ParityModels"/> case once, checks all files in one python3-onnx process, runs them all
/// in one onnxruntime-node process (the independent runtime) and in ONNX Runtime for .NET in this process, at two
/// batch sizes, keeping AutoNet's own eval-mode outputs for comparison.
/// </summary>
public sealed class OnnxParityFixture : IDisposable
{
    public static readonly int[] BatchSizes = [1, 3];

    private readonly Lazy<IReadOnlyDictionary<string, ParityResult>> results;

    public OnnxParityFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "autonet-onnx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        results = new Lazy<IReadOnlyDictionary<string, ParityResult>>(Run);
    }

    /// <summary>The layer stacks and descriptions, and AutoNet.Models' networks.</summary>
    public static IReadOnlyList<ParityCase> Cases { get; } = ParityModels.All.Concat(ModelParityModels.All).ToArray();

    public string Folder { get; }

    public IReadOnlyDictionary<string, ParityResult> Results => results.Value;

    public static OnnxExportOptions OptionsFor(ParityCase c, long classes) => new()
    {
        Preprocessing = new OnnxPreprocessing(c.Size, c.Size, c.ChannelOrder,
            c.Channels == 1 ? [0.286] : [0.485, 0.456, 0.406],
            c.Channels == 1 ? [0.353] : [0.229, 0.224, 0.225]),
        ClassNames = Enumerable.Range(0, (int)classes).Select(i => $"class {i} ({c.Name})").ToList(),
        Opset = c.Opset,
        Metadata = new Dictionary<string, string> { ["case"] = c.Name },
    };

    /// <summary>Sets BatchNorm's affine parameters and running statistics away from their identity defaults.</summary>
    public static void RandomizeBatchNorm(nn.Module model)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var norm in model.modules().OfType<BatchNorm>())
        {
            var n = norm.num_features;
            norm.running_mean!.copy_(torch.randn(n).mul(0.3));
            norm.running_var!.copy_(torch.rand(n).mul(1.5).add(0.3));
            if (norm.weight is not null && norm.bias is not null)
            {
                norm.weight.copy_(torch.randn(n).mul(0.3).add(1));
                norm.bias.copy_(torch.randn(n).mul(0.3));
            }
        }
    }

    /// <summary>Runs an ONNX file in ONNX Runtime for .NET (CPU, one thread) on a float32 input; returns every output by name.</summary>
    public static Dictionary<string, (long[] Dims, float[] Data)> RunInProcess(string path, float[] input, long[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        var tensor = new DenseTensor<float>(input, shape.Select(d => (int)d).ToArray());
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
        return outputs.ToDictionary(o => o.Name, o =>
        {
            var t = o.AsTensor<float>();
            return (t.Dimensions.ToArray().Select(d => (long)d).ToArray(), t.ToArray());
        });
    }

    private IReadOnlyDictionary<string, ParityResult> Run()
    {
        torch.set_num_threads(1);
        var pending = new List<(ParityCase Case, string Path, List<(float[] Input, long[] Shape, float[] Logits, float[] Probabilities)> Batches)>();
        var runs = new JsonArray();
        var seed = 1;
        foreach (var c in Cases)
        {
            torch.manual_seed(seed++);
            using var model = c.Build();
            RandomizeBatchNorm(model);

            // Exported while still in training mode: the graph must be the eval-mode forward regardless.
            var path = Path.Combine(Folder, c.Name + ".onnx");
            long classes;
            using (var probeScope = torch.NewDisposeScope())
            using (var noGrad = torch.no_grad())
            {
                model.eval();
                classes = model.forward(torch.zeros(1, c.Channels, c.Size, c.Size)).size(1);
                model.train();
            }

            new OnnxModuleExporter().Export(model, OptionsFor(c, classes), path);
            model.eval();

            var batches = new List<(float[], long[], float[], float[])>();
            var batchSpecs = new JsonArray();
            foreach (var batch in BatchSizes)
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                long[] shape = [batch, c.Channels, c.Size, c.Size];
                var input = torch.randn(shape);
                var logits = model.forward(input);
                var probabilities = logits.softmax(1);
                var inputFile = Path.Combine(Folder, $"{c.Name}.input{batch}.f32");
                var inputData = input.data<float>().ToArray();
                File.WriteAllBytes(inputFile, MemoryMarshal.AsBytes(inputData.AsSpan()).ToArray());
                batches.Add((inputData, shape, logits.data<float>().ToArray(), probabilities.data<float>().ToArray()));
                batchSpecs.Add(new JsonObject { ["file"] = inputFile, ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()) });
            }

            runs.Add(new JsonObject
            {
                ["model"] = path,
                ["input"] = "input",
                ["batches"] = batchSpecs,
                ["output_prefix"] = Path.Combine(Folder, c.Name),
            });
            pending.Add((c, path, batches));
        }

        var checks = OnnxPeers.CheckModels(pending.Select(p => p.Path).ToList());
        var ort = OnnxPeers.RunOnnxRuntime(new JsonObject { ["runs"] = runs }, Folder)["results"]!.AsArray();
        var output = new Dictionary<string, ParityResult>();
        for (var i = 0; i < pending.Count; i++)
        {
            var (c, path, batches) = pending[i];
            var runtime = new List<IReadOnlyDictionary<string, (long[] Dims, float[] Data)>>();
            foreach (var described in ort[i]!["batches"]!.AsArray())
            {
                var outputs = new Dictionary<string, (long[], float[])>();
                foreach (var (name, value) in described!.AsObject())
                {
                    var dims = value!["dims"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                    var data = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(value["file"]!.GetValue<string>())).ToArray();
                    outputs[name] = (dims, data);
                }

                runtime.Add(outputs);
            }

            var inProcess = batches.Select(b => (IReadOnlyDictionary<string, (long[] Dims, float[] Data)>)RunInProcess(path, b.Input, b.Shape)).ToList();
            output[c.Name] = new ParityResult(c, path, checks[i]!.AsObject(), batches, runtime, inProcess);
        }

        return output;
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
