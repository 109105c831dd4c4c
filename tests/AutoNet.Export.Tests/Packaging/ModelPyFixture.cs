using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AutoNet.Export.Onnx;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Models.Transfer;

using AutoNet.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>
/// Packages every <see cref="ModelParityModels"/> network (cell networks, macro-cnns, the five backbones, transfer
/// networks) with its model.py, and runs all the model.py files in one /usr/bin/python3 process on a batch of 3,
/// keeping AutoNet's own eval-mode logits, probabilities and features for comparison.
/// </summary>
public sealed class ModelPyFixture : IDisposable
{
    public const int Batch = 3;

    private readonly Lazy<IReadOnlyDictionary<string, ModelPyResult>> results;

    public ModelPyFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "autonet-modelpy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        results = new Lazy<IReadOnlyDictionary<string, ModelPyResult>>(Run);
    }

    public string Folder { get; }

    public IReadOnlyDictionary<string, ModelPyResult> Results => results.Value;

    public static ModelPackageOptions OptionsFor(ParityCase c, long classes, ModelExportFormats formats) => new()
    {
        Preprocessing = OnnxParityFixture.OptionsFor(c, classes).Preprocessing,
        ClassNames = Enumerable.Range(0, (int)classes).Select(i => $"\"class\" {i} \\ {c.Name} ✓").ToList(),
        Formats = formats,
    };

    private IReadOnlyDictionary<string, ModelPyResult> Run()
    {
        torch.set_num_threads(1);
        var runs = new JsonArray();
        var expected = new List<(ParityCase Case, float[] Logits, float[] Probabilities, float[] Features, float[] Normalized)>();
        var seed = 100;
        foreach (var c in ModelParityModels.All)
        {
            torch.manual_seed(seed++);
            using var model = c.Build();
            OnnxParityFixture.RandomizeBatchNorm(model);
            model.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var shape = new long[] { Batch, c.Channels, c.Size, c.Size };
            var input = torch.randn(shape);
            var logits = model.forward(input);
            var package = Path.Combine(Folder, c.Name);
            ModelPackage.Write(package, model, OptionsFor(c, logits.size(1), ModelExportFormats.PyTorch));
            var pixelShape = new long[] { 2, c.Size, c.Size, c.Channels };
            var pixels = torch.rand(pixelShape).mul(255).data<float>().ToArray();
            var pixelFile = Path.Combine(Folder, c.Name + ".pixels.f32");
            File.WriteAllBytes(pixelFile, MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray());
            var inputFile = Path.Combine(Folder, c.Name + ".input.f32");
            File.WriteAllBytes(inputFile, MemoryMarshal.AsBytes(input.data<float>().ToArray().AsSpan()).ToArray());
            expected.Add((c, logits.data<float>().ToArray(), logits.softmax(1).data<float>().ToArray(),
                FeatureExtractor.From(model).ForwardFeatures(input).data<float>().ToArray(), Normalize(pixels, pixelShape, OnnxParityFixture.OptionsFor(c, 1).Preprocessing)));
            runs.Add(new JsonObject
            {
                ["package"] = package,
                ["input"] = inputFile,
                ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()),
                ["output_prefix"] = Path.Combine(Folder, c.Name),
                ["pixels"] = pixelFile,
                ["pixels_shape"] = new JsonArray(pixelShape.Select(s => (JsonNode)s).ToArray()),
            });
        }

        var request = new JsonObject { ["runs"] = runs };
        var (code, stdout, stderr) = OnnxPeers.RunProcess(OnnxPeers.Python, new[] { Path.Combine(AppContext.BaseDirectory, "run_model_py.py") }, request.ToJsonString());
        if (code != 0)
        {
            throw new InvalidOperationException($"run_model_py.py exited with {code}: {stderr}");
        }

        var replies = JsonNode.Parse(stdout)!["results"]!.AsArray();
        var output = new Dictionary<string, ModelPyResult>();
        for (var i = 0; i < expected.Count; i++)
        {
            var reply = replies[i]!.AsObject();
            var python = new Dictionary<string, (long[] Dims, float[] Data)>();
            foreach (var (name, value) in reply["outputs"]!.AsObject())
            {
                python[name] = (value!["dims"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray(),
                    MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(value["file"]!.GetValue<string>())).ToArray());
            }

            var (c, logits, probabilities, features, normalized) = expected[i];
            output[c.Name] = new ModelPyResult(c, reply, logits, probabilities, features, normalized, python);
        }

        return output;
    }

    /// <summary>The documented formula, written out: NHWC raw pixels to NCHW (pixel × scale − mean[c]) / std[c].</summary>
    private static float[] Normalize(float[] pixels, long[] nhwc, OnnxPreprocessing pre)
    {
        var (n, h, w, ch) = ((int)nhwc[0], (int)nhwc[1], (int)nhwc[2], (int)nhwc[3]);
        var result = new float[pixels.Length];
        for (var i = 0; i < n; i++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    for (var c = 0; c < ch; c++)
                    {
                        var value = (pixels[(((i * h) + y) * w + x) * ch + c] * pre.PixelScale - pre.Mean[c]) / pre.Std[c];
                        result[(((i * ch) + c) * h + y) * w + x] = (float)value;
                    }
                }
            }
        }

        return result;
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
