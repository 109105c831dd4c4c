using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Export.Descriptions;
using AutoNet.Export.Onnx.Proto;
using AutoNet.Models.Architecture;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Export.Onnx;

/// <summary>
/// Exports a classifier module (N, C, H, W → N, classes) to ONNX from its architecture description
/// (<see cref="ModelDescriber"/>, walked by <see cref="OnnxArchitectureEmitter"/>): one float32 input with
/// a symbolic batch dimension, outputs "logits" and (optionally) "probabilities", and metadata_props describing the
/// preprocessing ("preprocessing", JSON) and the classes ("class_names", a JSON array). The graph always computes the
/// eval-mode forward, whatever mode the module is in.
/// </summary>
public sealed class OnnxModuleExporter
{
    public const string LogitsOutput = "logits";
    public const string ProbabilitiesOutput = "probabilities";
    public const string BatchDimension = "batch";
    public const string PreprocessingKey = "preprocessing";
    public const string ClassNamesKey = "class_names";

    /// <summary>Exports <paramref name="model"/>, described by <see cref="ModelDescriber.Describe"/>.</summary>
    public ModelProto Export(nn.Module<Tensor, Tensor> model, OnnxExportOptions options) => Export(model, ModelDescriber.Describe(model), options);

    /// <summary>Exports <paramref name="model"/> as <paramref name="description"/> says (its names are the model's state-dict keys).</summary>
    public ModelProto Export(nn.Module<Tensor, Tensor> model, ArchNode description, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var pre = options.Preprocessing ?? throw new ArgumentException("options: Preprocessing is required", nameof(options));
        pre.Validate();
        if (options.ClassNames is null || options.ClassNames.Count == 0 || options.ClassNames.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("options: ClassNames must list one non-empty name per class", nameof(options));
        }

        foreach (var key in options.Metadata.Keys)
        {
            if (key is PreprocessingKey or ClassNamesKey)
            {
                throw new ArgumentException($"options: the metadata key '{key}' is written by the exporter itself", nameof(options));
            }
        }

        var state = model.state_dict();
        foreach (var (name, tensor) in state)
        {
            if (tensor.is_floating_point() && tensor.dtype != ScalarType.Float32)
            {
                throw new NotSupportedException($"ONNX export: '{name}' is {tensor.dtype}; the exported graph is float32, convert the model with .to(ScalarType.Float32) first");
            }
        }

        var classes = CheckOutputShape(model, pre);
        if (classes != options.ClassNames.Count)
        {
            throw new ArgumentException($"options: {options.ClassNames.Count} class names were given, the model outputs {classes} logits", nameof(options));
        }

        var g = new OnnxGraphBuilder(options.GraphName, options.Opset);
        var input = g.AddInput(options.InputName, BatchDimension, pre.Channels, pre.Height, pre.Width);
        var output = new OnnxArchitectureEmitter(g, state).Emit(description, [input]);

        // Named outputs come from Identity/Softmax nodes of our own, so they never collide with a converter's names
        // and a model that emits nothing (an Identity) still has an output distinct from its input.
        g.AddNode("Identity", [output], [LogitsOutput]);
        g.AddOutput(LogitsOutput, BatchDimension, classes);
        if (options.IncludeProbabilities)
        {
            g.AddNode("Softmax", [LogitsOutput], [ProbabilitiesOutput], OnnxAttribute.Int("axis", 1));
            g.AddOutput(ProbabilitiesOutput, BatchDimension, classes);
        }

        g.SetMetadata(PreprocessingKey, PreprocessingJson(options));
        g.SetMetadata(ClassNamesKey, JsonSerializer.Serialize(options.ClassNames));
        foreach (var (key, value) in options.Metadata)
        {
            g.SetMetadata(key, value);
        }

        return g.Build(options.ProducerVersion, DocString(options, classes));
    }

    /// <summary>Exports and writes atomically to <paramref name="path"/> (an existing file is an error unless <paramref name="overwrite"/>).</summary>
    public ModelProto Export(nn.Module<Tensor, Tensor> model, OnnxExportOptions options, string path, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!overwrite && File.Exists(path))
        {
            throw new IOException($"{Path.GetFullPath(path)} already exists; choose another path or allow overwriting");
        }

        var proto = Export(model, options);
        OnnxGraphBuilder.Save(proto, path, overwrite);
        return proto;
    }

    // One eval-mode forward of a single blank image proves the resolution fits and tells the class count; the
    // modules' train/eval flags are put back exactly as they were.
    private static long CheckOutputShape(nn.Module<Tensor, Tensor> model, OnnxPreprocessing pre)
    {
        // modules() walks parents before children, so restoring in that order leaves each flag as it was.
        var modules = model.modules().ToList();
        var modes = modules.Select(m => m.training).ToList();
        var wasTraining = model.training;
        var device = model.parameters().Select(p => p.device).FirstOrDefault() ?? torch.CPU;
        long[] shape;
        try
        {
            model.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var probe = torch.zeros([1, pre.Channels, pre.Height, pre.Width], device: device);
            shape = model.forward(probe).shape;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ExternalException)
        {
            throw new ArgumentException(
                $"ONNX export: the model does not accept a {pre.Channels}x{pre.Height}x{pre.Width} input as the preprocessing describes: {e.Message}", e);
        }
        finally
        {
            model.train(wasTraining);
            for (var i = 0; i < modules.Count; i++)
            {
                modules[i].train(modes[i]);
            }
        }

        if (shape.Length != 2 || shape[0] != 1)
        {
            throw new ArgumentException($"ONNX export: a classifier must output (batch, classes) logits; this model outputs [{string.Join(", ", shape)}] for one image");
        }

        return shape[1];
    }

    private static string PreprocessingJson(OnnxExportOptions options)
    {
        var pre = options.Preprocessing;
        var json = new JsonObject
        {
            ["input"] = options.InputName,
            ["layout"] = "NCHW",
            ["height"] = pre.Height,
            ["width"] = pre.Width,
            ["fit"] = OnnxPreprocessing.FitName(pre.Fit),
            ["fit_description"] = OnnxPreprocessing.FitDescription(pre.Fit),
            ["channels"] = pre.Channels,
            ["channel_order"] = ChannelOrderName(pre.ChannelOrder),
            ["pixel_scale"] = pre.PixelScale,
            ["mean"] = new JsonArray(pre.Mean.Select(m => (JsonNode)m).ToArray()),
            ["std"] = new JsonArray(pre.Std.Select(s => (JsonNode)s).ToArray()),
            ["formula"] = "input[n, c, y, x] = (pixel[y, x, c] * pixel_scale - mean[c]) / std[c]",
            ["outputs"] = new JsonArray(options.IncludeProbabilities ? new JsonNode[] { LogitsOutput, ProbabilitiesOutput } : new JsonNode[] { LogitsOutput }),
        };
        return json.ToJsonString();
    }

    public static string ChannelOrderName(OnnxChannelOrder order) => order switch
    {
        OnnxChannelOrder.Rgb => "RGB",
        OnnxChannelOrder.Bgr => "BGR",
        OnnxChannelOrder.Grayscale => "grayscale",
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, null),
    };

    private static string DocString(OnnxExportOptions options, long classes)
    {
        var pre = options.Preprocessing;
        var mean = string.Join(", ", pre.Mean.Select(m => m.ToString("R", CultureInfo.InvariantCulture)));
        var std = string.Join(", ", pre.Std.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
        var probabilities = options.IncludeProbabilities ? $" and its softmax '{ProbabilitiesOutput}'" : string.Empty;
        return FormattableString.Invariant(
            $"AutoNet image classifier: input '{options.InputName}' float32 [batch, {pre.Channels}, {pre.Height}, {pre.Width}] ") +
            FormattableString.Invariant(
            $"(images fitted by {OnnxPreprocessing.FitName(pre.Fit)}; {ChannelOrderName(pre.ChannelOrder)}, pixel * {pre.PixelScale:R}, minus mean [{mean}], divided by std [{std}]); ") +
            FormattableString.Invariant($"output '{LogitsOutput}' [batch, {classes}]{probabilities}; class names in the metadata entry '{ClassNamesKey}'.");
    }
}
