using System.Text.Json.Nodes;
using AutoNet.Data.Decoding;
using AutoNet.Export.Onnx;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Models.MacroCnn;
using TorchSharp;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>
/// A package records how training fitted images to its resolution (centre crop, pad or stretch) in model.json and in
/// the ONNX metadata, and its model.py fits an image as AutoNet's data layer does, so other runtimes can reproduce it.
/// </summary>
public sealed class ImageFitTests : IDisposable
{
    // Imports a package's model.py and writes model.prepare() of a raw [H, W, C] uint8 image as comma-separated values.
    private const string Prepare = """
        import importlib.util, sys
        import numpy as np
        spec = importlib.util.spec_from_file_location("autonet_model", sys.argv[1] + "/model.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        image = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        prepared = module.prepare(image)
        sys.stdout.write(",".join(str(v) for v in prepared.permute(2, 0, 1).flatten().tolist()))
        """;

    private readonly string root = Directory.CreateTempSubdirectory("autonet-fit-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    public static TheoryData<ImageFit> Fits => new() { ImageFit.CenterCrop, ImageFit.Pad, ImageFit.Stretch };

    [Theory]
    [MemberData(nameof(Fits))]
    public void The_fit_is_written_to_model_json_and_the_onnx_metadata_and_read_back(ImageFit fit)
    {
        var dir = Write($"written-{fit}", fit, ModelExportFormats.Safetensors | ModelExportFormats.Onnx);
        var name = OnnxPreprocessing.FitName(fit);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, ModelPackage.DescriptionFile)))!;
        Assert.Equal(name, json["input"]!["fit"]!.GetValue<string>());
        Assert.Equal(fit, ModelPackage.ReadDescription(dir).Preprocessing.Fit);

        var check = OnnxPeers.CheckModels([Path.Combine(dir, ModelPackage.OnnxFile)])[0]!;
        Assert.True(check["ok"]!.GetValue<bool>(), check["error"]?.ToString());
        var preprocessing = JsonNode.Parse(check["metadata"]![OnnxModuleExporter.PreprocessingKey]!.GetValue<string>())!;
        Assert.Equal(name, preprocessing["fit"]!.GetValue<string>());
        Assert.Equal(OnnxPreprocessing.FitDescription(fit), preprocessing["fit_description"]!.GetValue<string>());
    }

    [Fact]
    public void A_model_json_without_a_fit_reads_as_the_centre_crop_older_packages_used_and_an_unknown_fit_is_named()
    {
        var dir = Write("older", ImageFit.Pad, ModelExportFormats.Safetensors);
        var path = Path.Combine(dir, ModelPackage.DescriptionFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["input"]!.AsObject().Remove("fit");
        File.WriteAllText(path, json.ToJsonString());
        Assert.Equal(ImageFit.CenterCrop, ModelPackage.ReadDescription(dir).Preprocessing.Fit);

        json["input"]!["fit"] = "zoom";
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.ReadDescription(dir));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.input.fit", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"zoom\" is not one of \"center_crop\", \"pad\", \"stretch\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ImageFit.CenterCrop, 3)]
    [InlineData(ImageFit.Pad, 3)]
    [InlineData(ImageFit.Stretch, 3)]
    [InlineData(ImageFit.Pad, 1)]
    [InlineData(ImageFit.CenterCrop, 1)]
    public void Model_py_prepares_an_image_of_another_shape_as_the_data_layer_fits_it(ImageFit fit, int channels)
    {
        var dir = Write($"python-{fit}-{channels}", fit, ModelExportFormats.PyTorch, channels);
        foreach (var (height, width) in new[] { (9, 23), (31, 12) })
        {
            // An RGBA image, so the alpha is dropped and colour becomes grey as AutoNet does.
            var random = new Random(height);
            var pixels = new byte[height * width * 4];
            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)Math.Clamp((i / 4 % width * 9) + (i / (4 * width) * 5) + random.Next(-40, 40), 0, 255);
            }

            var transform = new ImageTransform(12, 16, channels, fit);
            var expected = new byte[transform.OutputLength];
            transform.Apply(pixels, height, width, 4, expected);
            var raw = Path.Combine(root, $"image-{height}x{width}.u8");
            File.WriteAllBytes(raw, pixels);
            var (code, stdout, stderr) = OnnxPeers.RunProcess(OnnxPeers.Python,
                ["-c", Prepare, dir, raw, $"{height}", $"{width}", "4"], null);
            Assert.True(code == 0, stderr);
            var actual = stdout.Split(',').Select(byte.Parse).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1, $"{fit} {height}x{width}: model.py differs from AutoNet by up to {worst}");
        }
    }

    private string Write(string name, ImageFit fit, ModelExportFormats formats, int channels = 3)
    {
        torch.set_num_threads(1);
        torch.manual_seed(5);
        using var model = new MacroCnnNetwork(new MacroCnnConfig(channels, 2, [new MacroCnnStage(4, 1)]));
        model.eval();
        var dir = Path.Combine(root, name);
        var preprocessing = channels == 1
            ? new OnnxPreprocessing(12, 16, OnnxChannelOrder.Grayscale, [0.5], [0.25])
            : new OnnxPreprocessing(12, 16, OnnxChannelOrder.Rgb, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
        ModelPackage.Write(dir, model, new ModelPackageOptions
        {
            Preprocessing = preprocessing with { Fit = fit },
            ClassNames = ["a", "b"],
            Formats = formats,
        });
        return dir;
    }
}
