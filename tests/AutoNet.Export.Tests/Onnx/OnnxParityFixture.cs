using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AutoNet.Export.Onnx;
using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Tests.Onnx;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// Exports every <see cref="ParityModels"/> case once, checks all files in one python3-onnx process and runs them all
/// in one ONNX Runtime process at two batch sizes, keeping AutoNet's own eval-mode outputs for comparison.
/// </summary>
public sealed class OnnxParityFixture : IDisposable
{
    public static readonly int[] BatchSizes = { 1, 3 };

    private readonly Lazy<IReadOnlyDictionary<string, ParityResult>> results;

    public OnnxParityFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "autonet-onnx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        results = new Lazy<IReadOnlyDictionary<string, ParityResult>>(Run);
    }

    /// <summary>The standard layers' cases and AutoNet.Models' networks.</summary>
    public static IReadOnlyList<ParityCase> Cases { get; } = ParityModels.All.Concat(ModelParityModels.All).ToArray();

    public string Folder { get; }

    public IReadOnlyDictionary<string, ParityResult> Results => results.Value;

    public static OnnxExportOptions OptionsFor(ParityCase c, long classes) => new()
    {
        Preprocessing = new OnnxPreprocessing(c.Size, c.Size, c.ChannelOrder,
            c.Channels == 1 ? new[] { 0.286 } : new[] { 0.485, 0.456, 0.406 },
            c.Channels == 1 ? new[] { 0.353 } : new[] { 0.229, 0.224, 0.225 }),
        ClassNames = Enumerable.Range(0, (int)classes).Select(i => $"class {i} ({c.Name})").ToList(),
        Opset = c.Opset,
        Metadata = new Dictionary<string, string> { ["case"] = c.Name },
    };

    /// <summary>Sets BatchNorm's affine parameters and running statistics away from their identity defaults.</summary>
    public static void RandomizeBatchNorm(Module model)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        foreach (var norm in model.Modules().OfType<BatchNorm>())
        {
            norm.RunningMean!.CopyFrom(Torch.Randn(new[] { norm.NumFeatures }).Mul(0.3));
            norm.RunningVar!.CopyFrom(Torch.Rand(new[] { norm.NumFeatures }).Mul(1.5).Add(0.3));
            if (norm.Weight is not null && norm.Bias is not null)
            {
                norm.Weight.CopyFrom(Torch.Randn(new[] { norm.NumFeatures }).Mul(0.3).Add(1));
                norm.Bias.CopyFrom(Torch.Randn(new[] { norm.NumFeatures }).Mul(0.3));
            }
        }
    }

    private IReadOnlyDictionary<string, ParityResult> Run()
    {
        Torch.SetNumThreads(1);
        var pending = new List<(ParityCase Case, string Path, List<(float[] Input, long[] Shape, float[] Logits, float[] Probabilities)> Batches)>();
        var runs = new JsonArray();
        var seed = 1;
        foreach (var c in Cases)
        {
            Torch.ManualSeed(seed++);
            using var model = c.Build();
            RandomizeBatchNorm(model);
            var registry = OnnxConverterRegistry.CreateDefault();
            c.Extend?.Invoke(registry);

            // Exported while still in training mode: the graph must be the eval-mode forward regardless.
            var path = Path.Combine(Folder, c.Name + ".onnx");
            long classes;
            using (var probe = Torch.Zeros(new long[] { 1, c.Channels, c.Size, c.Size }))
            {
                model.Eval();
                using var probeOut = model.Forward(probe);
                classes = probeOut.Size(1);
                model.Train();
            }

            new OnnxModuleExporter(registry).Export(model, OptionsFor(c, classes), path);
            model.Eval();

            var batches = new List<(float[], long[], float[], float[])>();
            var batchSpecs = new JsonArray();
            foreach (var batch in BatchSizes)
            {
                using var scope = Torch.NewDisposeScope();
                using var noGrad = Torch.NoGrad();
                var shape = new long[] { batch, c.Channels, c.Size, c.Size };
                var input = Torch.Randn(shape);
                var logits = model.Forward(input);
                var probabilities = Functional.Softmax(logits, 1);
                var inputFile = Path.Combine(Folder, $"{c.Name}.input{batch}.f32");
                var inputData = input.ToArray<float>();
                File.WriteAllBytes(inputFile, MemoryMarshal.AsBytes(inputData.AsSpan()).ToArray());
                batches.Add((inputData, shape, logits.ToArray<float>(), probabilities.ToArray<float>()));
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

            output[c.Name] = new ParityResult(c, path, checks[i]!.AsObject(), batches, runtime);
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
