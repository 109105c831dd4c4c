using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Cli.Prediction;
using AutoNet.Data;
using AutoNet.Data.Decoding;
using AutoNet.Data.Drawing;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;

using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Tests;

[Collection(PackagedModelCollection.Name)]
public sealed class PredictCommandTests(PackagedModelFixture fixture) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("autonet-predict-work-").FullName;

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Predict_probabilities_equal_onnx_runtime_and_model_py_on_the_inputs_the_onnx_metadata_describes()
    {
        var before = Snapshot(fixture.Data);
        var report = PredictCommand.Predict(Request(fixture.Data, fixture.Package, 3));
        var count = PackagedModelFixture.PerClass * PackagedModelFixture.Classes.Length;
        Assert.Equal(count, report.Predictions.Count);
        Assert.Empty(report.Failures);
        Assert.Equal(count * 3, report.Probabilities.Length);
        for (var i = 0; i < count; i++)
        {
            var row = report.Probabilities.AsSpan(i * 3, 3).ToArray();
            var top = report.Predictions[i].Top;
            Assert.Equal(Enumerable.Range(0, 3).OrderByDescending(c => row[c]).ThenBy(c => c).ToArray(), top.Select(t => t.Index).ToArray());
            Assert.Equal(top.Select(t => (double)row[t.Index]), top.Select(t => t.Probability));
            Assert.Equal(1.0, row.Sum(), 5);
        }

        // Predict's own inputs: the uint8 pixels it reads and their normalisation.
        var reader = new PackageImageReader(ModelPackage.ReadDescription(fixture.Package).Preprocessing);
        var pixels = new byte[count * reader.ImageBytes];
        for (var i = 0; i < count; i++)
        {
            reader.Read(report.Predictions[i].Path, pixels.AsSpan(i * reader.ImageBytes, reader.ImageBytes));
        }

        float[] inputs;
        using (var tensor = torch.tensor(pixels, [count, 1, 20, 20]))
        using (var normalized = reader.Normalize(tensor))
        {
            inputs = normalized.data<float>().ToArray();
        }

        var inputFile = Path.Join(work, "input.f32");
        File.WriteAllBytes(inputFile, MemoryMarshal.AsBytes(inputs.AsSpan()).ToArray());
        var pixelFile = Path.Join(work, "pixels.f32");
        File.WriteAllBytes(pixelFile, MemoryMarshal.AsBytes(pixels.Select(p => (float)p).ToArray().AsSpan()).ToArray());

        // ONNX Runtime on model.onnx.
        var onnx = Path.Join(fixture.Package, ModelPackage.OnnxFile);
        var ort = OnnxPeers.RunOnnxRuntime(new JsonObject
        {
            ["runs"] = new JsonArray(new JsonObject
            {
                ["model"] = onnx,
                ["input"] = "input",
                ["batches"] = new JsonArray(new JsonObject { ["file"] = inputFile, ["shape"] = new JsonArray(count, 1, 20, 20) }),
                ["output_prefix"] = Path.Join(work, "ort"),
            }),
        }, work);
        var ortProbabilities = ReadFloats(ort["results"]![0]!["batches"]![0]!["probabilities"]!["file"]!.GetValue<string>());
        AssertClose(ortProbabilities, report.Probabilities, 1e-4);

        // model.py under /usr/bin/python3, and its normalize() on the same pixels.
        var request = new JsonObject
        {
            ["runs"] = new JsonArray(new JsonObject
            {
                ["package"] = fixture.Package,
                ["input"] = inputFile,
                ["shape"] = new JsonArray(count, 1, 20, 20),
                ["output_prefix"] = Path.Join(work, "py"),
                ["pixels"] = pixelFile,
                ["pixels_shape"] = new JsonArray(count, 20, 20, 1),
            }),
        };
        var (code, stdout, stderr) = OnnxPeers.RunProcess(OnnxPeers.Python, [Path.Combine(AppContext.BaseDirectory, "run_model_py.py")], request.ToJsonString());
        Assert.True(code == 0, stderr);
        var outputs = JsonNode.Parse(stdout)!["results"]![0]!["outputs"]!;
        AssertClose(ReadFloats(outputs["probabilities"]!["file"]!.GetValue<string>()), report.Probabilities, 1e-4);
        AssertClose(ReadFloats(outputs["normalized"]!["file"]!.GetValue<string>()), inputs, 1e-5);

        // The preprocessing written into the ONNX metadata (read by python3-onnx), applied to the pixels, gives predict's inputs.
        var check = OnnxPeers.CheckModels([onnx])[0]!;
        Assert.True(check["ok"]!.GetValue<bool>(), check["error"]?.ToString());
        var metadata = check["metadata"]!;
        Assert.Equal(PackagedModelFixture.Classes, JsonSerializer.Deserialize<string[]>(metadata["class_names"]!.GetValue<string>()));
        var pre = JsonNode.Parse(metadata["preprocessing"]!.GetValue<string>())!;
        Assert.Equal(20, pre["height"]!.GetValue<int>());
        Assert.Equal(20, pre["width"]!.GetValue<int>());
        Assert.Equal("grayscale", pre["channel_order"]!.GetValue<string>().ToLowerInvariant());
        var scale = pre["pixel_scale"]!.GetValue<double>();
        var mean = pre["mean"]![0]!.GetValue<double>();
        var std = pre["std"]![0]!.GetValue<double>();
        AssertClose(pixels.Select(p => (float)(((p * scale) - mean) / std)).ToArray(), inputs, 1e-5);
        Assert.Equal(before, Snapshot(fixture.Data));
    }

    [Fact]
    public void A_folder_with_an_undecodable_file_reports_it_and_predicts_the_rest()
    {
        var folder = Path.Join(work, "mixed");
        Directory.CreateDirectory(Path.Join(folder, "nested"));
        var first = Directory.GetFiles(Path.Join(fixture.Data, "Bag")).Order(StringComparer.Ordinal).First();
        File.Copy(first, Path.Join(folder, "a.png"));
        File.Copy(first, Path.Join(folder, "nested", "b.png"));
        File.WriteAllText(Path.Join(folder, "broken.png"), "not an image");
        var before = Snapshot(folder);

        var report = PredictCommand.Predict(Request(folder, fixture.Package, 2));

        Assert.Equal([Path.Join(folder, "a.png"), Path.Join(folder, "nested", "b.png")], report.Predictions.Select(p => p.Path));
        Assert.Equal(report.Predictions[0].Top, report.Predictions[1].Top);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(Path.Join(folder, "broken.png"), failure.Path);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        var csv = PredictCommand.ToCsv(report, 2).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,class_1,probability_1,class_2,probability_2,error", csv[0]);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith(Path.Join(folder, "broken.png") + ",,,,,", csv[3]);
        Assert.Equal(before, Snapshot(folder));
    }

    [Fact]
    public void Bad_inputs_are_clear_errors_and_nothing_is_written()
    {
        var before = Snapshot(fixture.Data);
        var image = Directory.GetFiles(Path.Join(fixture.Data, "Trouser"))[0];
        var missing = Path.Join(work, "no-such-model");
        var error = Assert.Throws<ModelPackageException>(() => PredictCommand.Predict(Request(image, missing)));
        Assert.Contains("no such model package folder", error.Message);
        Assert.Contains(missing, error.Message);

        var empty = Directory.CreateDirectory(Path.Join(work, "empty")).FullName;
        error = Assert.Throws<ModelPackageException>(() => PredictCommand.Predict(Request(image, empty)));
        Assert.Contains("is not an AutoNet model package", error.Message);

        var notImage = Path.Join(work, "notes.png");
        File.WriteAllText(notImage, "hello");
        var decode = Assert.Throws<ImageDecodeException>(() => PredictCommand.Predict(Request(notImage, fixture.Package)));
        Assert.Contains(notImage, decode.Message);

        var absent = Assert.Throws<DataSetException>(() => PredictCommand.Predict(Request(Path.Join(work, "nothing-here"), fixture.Package)));
        Assert.Contains("does not exist", absent.Message);

        var inside = Assert.Throws<DataSetException>(() => PredictCommand.Predict(Request(fixture.Data, fixture.Package) with { CsvPath = Path.Join(fixture.Data, "out.csv") }));
        Assert.Contains("never writes into", inside.Message);
        Assert.Throws<CliException>(() => PredictCommand.Predict(Request(image, fixture.Package, 0)));
        Assert.Equal(before, Snapshot(fixture.Data));
        Assert.Equal(["empty", "notes.png"], Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_cli_process_prints_one_image_s_top_classes_and_exits_non_zero_on_bad_input()
    {
        var image = Directory.GetFiles(Path.Join(fixture.Data, "Sneaker")).Order(StringComparer.Ordinal).First();
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "predict", fixture.Package, image, "--json", "--top-k", "2", "--threads", "1"]);
        Assert.True(exitCode == 0, stderr + stdout);
        var expected = PredictCommand.Predict(Request(image, fixture.Package, 2)).Predictions.Single();
        using var json = JsonDocument.Parse(stdout);
        var prediction = json.RootElement.GetProperty("predictions").EnumerateArray().Single();
        Assert.Equal(image, prediction.GetProperty("path").GetString());
        Assert.Equal(expected.Top.Select(t => t.Name), prediction.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(expected.Top.Select(t => t.Probability), prediction.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("probability").GetDouble()));

        (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "predict", fixture.Package, image, "--top-k", "1", "--threads", "1"]);
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Contains(expected.Top[0].Name, stdout);
        Assert.Contains(expected.Top[0].Probability.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), stdout);

        (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "predict", Path.Join(work, "absent"), image]);
        Assert.Equal(1, exitCode);
        Assert.Contains("error:", stderr);
        Assert.Contains("no such model package folder", stderr);
        Assert.Empty(stdout);
    }

    [Fact]
    public void A_package_whose_model_json_says_pad_is_read_with_pad_and_one_without_a_fit_with_the_centre_crop_it_assumed()
    {
        // A wide image, where crop and pad keep different pixels.
        const int width = 44, height = 18;
        var random = new Random(9);
        var pixels = new byte[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Clamp((i % width * 5) + (i / width * 3) + random.Next(-30, 30), 0, 255);
        }

        var image = Path.Join(work, "wide.png");
        File.WriteAllBytes(image, PngWriter.Encode(pixels, width, height, 1));
        var pad = WithFit(fixture.Package, "pad");
        var older = WithFit(fixture.Package, null);
        Assert.Equal(ImageFit.Pad, ModelPackage.ReadDescription(pad).Preprocessing.Fit);
        Assert.Equal(ImageFit.CenterCrop, ModelPackage.ReadDescription(older).Preprocessing.Fit);
        Assert.Equal(ImageFit.CenterCrop, ModelPackage.ReadDescription(fixture.Package).Preprocessing.Fit);

        var padded = PredictCommand.Predict(Request(image, pad, 3)).Probabilities;
        var cropped = PredictCommand.Predict(Request(image, fixture.Package, 3)).Probabilities;
        AssertClose(Through(pad, Fitted(image, ImageFit.Pad)), padded, 1e-6);
        AssertClose(Through(fixture.Package, Fitted(image, ImageFit.CenterCrop)), cropped, 1e-6);
        Assert.True(padded.Zip(cropped, (a, b) => Math.Abs(a - b)).Max() > 1e-4, "pad and crop gave the same probabilities; the image does not tell them apart");
        Assert.Equal(cropped, PredictCommand.Predict(Request(image, older, 3)).Probabilities);

        // evaluate decodes through the cache with the package's fit too.
        var labelled = Path.Join(work, "labelled");
        foreach (var name in PackagedModelFixture.Classes)
        {
            Directory.CreateDirectory(Path.Join(labelled, name));
            File.Copy(image, Path.Join(labelled, name, "wide.png"));
        }

        var listing = DataSetSources.Open(labelled);
        var preprocessing = ModelPackage.ReadDescription(pad).Preprocessing;
        using var data = EvaluationData.Load(Path.Join(work, "workspace"), listing, new StratifiedSplitter().Split(listing),
            [SplitPart.Train, SplitPart.Validation, SplitPart.Test], preprocessing, PackagedModelFixture.Classes, 1);
        var expected = Fitted(image, ImageFit.Pad);
        Assert.Equal(PackagedModelFixture.Classes.Length, data.Labels.Length);
        for (var i = 0; i < data.Labels.Length; i++)
        {
            using var scope = torch.NewDisposeScope();
            Assert.Equal(expected, data.Pixels[i].contiguous().data<byte>().ToArray());
        }
    }

    /// <summary>A copy of <paramref name="package"/> whose model.json records <paramref name="fit"/>, or no fit at all, as older packages.</summary>
    private string WithFit(string package, string? fit)
    {
        var copy = Path.Join(work, $"package-{fit ?? "unrecorded"}");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(package))
        {
            File.Copy(file, Path.Join(copy, Path.GetFileName(file)));
        }

        var path = Path.Join(copy, ModelPackage.DescriptionFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var input = json["input"]!.AsObject();
        input.Remove("fit");
        input.Remove("fit_description");
        if (fit is not null)
        {
            input["fit"] = fit;
        }

        File.WriteAllText(path, json.ToJsonString());
        return copy;
    }

    /// <summary>The data layer's own fit of a grey image to the fixture's 20 × 20.</summary>
    private static byte[] Fitted(string image, ImageFit fit)
    {
        using var decoded = ImageDecoder.Default.DecodeFile(image);
        var output = new byte[20 * 20];
        new ImageTransform(20, 20, 1, fit).Apply(decoded, output);
        return output;
    }

    /// <summary>The package's network on one image's fitted pixels: softmax probabilities.</summary>
    private static float[] Through(string package, byte[] pixels)
    {
        using var loaded = ModelPackage.Load(package);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = new PackageImageReader(loaded.Preprocessing).Normalize(torch.tensor(pixels, [1, 1, 20, 20]));
        return nn.functional.softmax(loaded.Model.forward(input), 1).contiguous().data<float>().ToArray();
    }

    internal static PredictCommand.Request Request(string input, string model, int topK = 5) =>
        new(model, input, topK, Json: false, CsvPath: null, Threads: 1, Device: "cpu");

    internal static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    internal static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst:G3} > {tolerance:G3}");
    }

    internal static List<string> Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(root, p)}:{(File.Exists(p) ? new FileInfo(p).Length : -1)}:{File.GetLastWriteTimeUtc(p).Ticks}")
            .Order(StringComparer.Ordinal)];
}
