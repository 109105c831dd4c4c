using System.Text.Json.Nodes;
using AutoNet.Export.Onnx;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;

using AutoNet.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>Writing a package is all-or-nothing and refuses to overwrite; loading rebuilds the same network or names what is wrong.</summary>
[Collection(LiveTensorCollection.Name)]
public sealed class ModelPackageTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "autonet-package-" + Guid.NewGuid().ToString("N"));

    public ModelPackageTests()
    {
        torch.set_num_threads(1);
        Directory.CreateDirectory(root);
    }

    public static TheoryData<string> Kinds => new() { "cell", "macro", "backbone", "transfer" };

    private static nn.Module<Tensor, Tensor> Build(string kind) => kind switch
    {
        "cell" => new CellNetwork(PublishedGenotypes.NasNetA, new CellNetworkSettings(InitialChannels: 2, CellsPerStage: 1, Stages: 2, NumClasses: 3, Dropout: 0.1)),
        "macro" => new MacroCnnNetwork(new MacroCnnConfig(3, 3, [new MacroCnnStage(4, 1, Residual: true), new MacroCnnStage(6, 1)],
            MacroCnnDownsampling.StridedConv, GlobalPooling.Max)),
        "backbone" => BackboneFactory.Create("mobilenet_v2", new BackboneOptions { NumClasses = 3, Dropout = 0.3 }),
        "transfer" => new TransferNetwork(FeatureExtractor.From(new MacroCnnNetwork(new MacroCnnConfig(3, 5, [new MacroCnnStage(4, 1)]))),
            TransferHead.Mlp(8, dropout: 0.25), 3, freezeFraction: 0.5),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static ModelPackageOptions Options(ModelExportFormats formats = ModelExportFormats.Safetensors, ModelCard? card = null) => new()
    {
        Preprocessing = new OnnxPreprocessing(16, 16, OnnxChannelOrder.Rgb, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        ClassNames = ["cat", "dog", "bird"],
        Formats = formats,
        Card = card,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_written_package_loads_back_as_the_same_network_with_the_same_outputs(string kind)
    {
        torch.manual_seed(3);
        using var model = Build(kind);
        OnnxParityFixture.RandomizeBatchNorm(model);
        model.eval();
        var dir = Path.Combine(root, kind);
        var written = ModelPackage.Write(dir, model, Options());

        using var package = ModelPackage.Load(dir);
        Assert.Equal(model.GetType(), package.Model.GetType());
        Assert.False(package.Model.training);
        Assert.Equal(written.Architecture.ToJson().ToJsonString(), package.Architecture.ToJson().ToJsonString());
        Assert.Equal(["cat", "dog", "bird"], package.ClassNames);
        Assert.Equal(OnnxChannelOrder.Rgb, package.Preprocessing.ChannelOrder);
        Assert.Equal([0.229, 0.224, 0.225], package.Preprocessing.Std);
        Assert.Equal(ModelPackage.AutoNetVersion, package.Description.AutoNetVersion);
        Assert.Equal(model.state_dict().Keys, package.Model.state_dict().Keys);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn([2, 3, 16, 16]);
        Assert.Equal(model.forward(x).data<float>().ToArray(), package.Model.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void The_folder_holds_the_files_its_formats_ask_for_and_nothing_else()
    {
        using var model = Build("macro");
        ModelPackage.Write(Path.Combine(root, "all"), model, Options(ModelExportFormats.All));
        ModelPackage.Write(Path.Combine(root, "onnx"), model, Options(ModelExportFormats.Onnx));
        ModelPackage.Write(Path.Combine(root, "st"), model, Options(ModelExportFormats.Safetensors));

        string[] Files(string name) => Directory.GetFileSystemEntries(Path.Combine(root, name)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(["README.md", "model.json", "model.onnx", "model.py", "weights.safetensors"], Files("all"));
        Assert.Equal(["README.md", "model.json", "model.onnx"], Files("onnx"));
        Assert.Equal(["README.md", "model.json", "weights.safetensors"], Files("st"));
        Assert.Equal(["all", "onnx", "st"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(Path.Combine(root, "onnx")));
        Assert.Contains("weights.safetensors is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_over_a_non_empty_folder_is_refused_and_leaves_it_untouched()
    {
        using var model = Build("macro");
        var dir = Path.Combine(root, "existing");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "mine.txt"), "user data");

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Write(dir, model, Options()));
        Assert.Contains(dir, error.Message, StringComparison.Ordinal);
        Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
        Assert.Equal("user data", File.ReadAllText(Path.Combine(dir, "mine.txt")));
        Assert.Equal(["existing"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public void An_existing_empty_folder_is_filled()
    {
        using var model = Build("macro");
        var dir = Path.Combine(root, "empty");
        Directory.CreateDirectory(dir);
        ModelPackage.Write(dir, model, Options());
        Assert.True(File.Exists(Path.Combine(dir, ModelPackage.WeightsFile)));
    }

    [Fact]
    public void A_failure_while_writing_leaves_no_folder_and_no_temporary_files()
    {
        // Safetensors takes float64 weights, the ONNX exporter (float32 graphs) refuses them: the failure comes mid-write.
        using var model = Build("macro");
        model.to(ScalarType.Float64);
        var dir = Path.Combine(root, "failed");
        Assert.Throws<NotSupportedException>(() => ModelPackage.Write(dir, model, Options(ModelExportFormats.All)));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void Options_that_do_not_fit_the_model_are_refused_before_anything_is_written()
    {
        using var model = Build("macro");
        var dir = Path.Combine(root, "bad");
        var classes = Assert.Throws<ArgumentException>(() => ModelPackage.Write(dir, model, Options() with { ClassNames = ["a", "b"] }));
        Assert.Contains("3 non-empty names", classes.Message, StringComparison.Ordinal);
        var channels = Assert.Throws<ArgumentException>(() => ModelPackage.Write(dir, model, Options() with
        {
            Preprocessing = new OnnxPreprocessing(16, 16, OnnxChannelOrder.Grayscale, [0.5], [0.5]),
        }));
        Assert.Contains("takes 3 channels", channels.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void Modules_that_are_not_autonet_classifiers_are_refused()
    {
        using var extractor = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 0 });
        Assert.Contains("feature extractor", Assert.Throws<NotSupportedException>(() => ModelPackage.Write(Path.Combine(root, "x"), extractor, Options())).Message,
            StringComparison.Ordinal);
        using var plain = nn.Sequential(nn.Conv2d(3, 3, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten());
        Assert.Contains("Sequential cannot be packaged", Assert.Throws<NotSupportedException>(() => ModelPackage.Write(Path.Combine(root, "y"), plain, Options())).Message,
            StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void Loading_names_the_file_and_field_that_is_wrong()
    {
        using var model = Build("cell");
        var dir = Path.Combine(root, "cell");
        ModelPackage.Write(dir, model, Options());
        var jsonPath = Path.Combine(dir, ModelPackage.DescriptionFile);
        var original = File.ReadAllText(jsonPath);

        void Edit(Action<JsonObject> change)
        {
            var json = JsonNode.Parse(original)!.AsObject();
            change(json);
            File.WriteAllText(jsonPath, json.ToJsonString());
        }

        Edit(j => j["architecture"]!["settings"]!["initial_channels"] = "two");
        var wrongType = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains(jsonPath, wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("$.architecture.settings.initial_channels", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("expected an integer", wrongType.Message, StringComparison.Ordinal);

        Edit(j => j["architecture"]!["kind"] = "capsule");
        Assert.Contains("$.architecture.kind", Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir)).Message, StringComparison.Ordinal);

        Edit(j => j["architecture"]!["genotype"]!["normal"]!["blocks"]![0]![0]!["op"] = "teleport");
        var genotype = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains("$.architecture.genotype", genotype.Message, StringComparison.Ordinal);
        Assert.Contains("teleport", genotype.Message, StringComparison.Ordinal);

        Edit(j => j["class_names"]!.AsArray().RemoveAt(0));
        Assert.Contains("$.class_names", Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir)).Message, StringComparison.Ordinal);

        // Settings that disagree with the recorded description (model.py builds from it): the error names the field.
        Edit(j => j["architecture"]!["settings"]!["initial_channels"] = 4);
        var disagree = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains("$.architecture.description", disagree.Message, StringComparison.Ordinal);

        // A description that builds but does not fit the weights (as format 1 recorded it, without a description):
        // the error names the weights file and a key.
        Edit(j =>
        {
            j["architecture"]!["settings"]!["initial_channels"] = 4;
            j["architecture"]!.AsObject().Remove("description");
        });
        var shapes = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains(Path.Combine(dir, ModelPackage.WeightsFile), shapes.Message, StringComparison.Ordinal);
        Assert.Contains("stem.0.weight: has shape [6, 3, 3, 3]", shapes.Message, StringComparison.Ordinal);

        File.WriteAllText(jsonPath, "{ not json");
        Assert.Contains("not valid JSON", Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir)).Message, StringComparison.Ordinal);

        File.Delete(jsonPath);
        Assert.Contains("model.json is missing", Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir)).Message, StringComparison.Ordinal);
        Assert.Contains("no such model package folder",
            Assert.Throws<ModelPackageException>(() => ModelPackage.Load(Path.Combine(root, "nowhere"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_1_package_without_descriptions_still_loads_as_the_same_network()
    {
        torch.manual_seed(4);
        using var model = Build("macro");
        model.eval();
        var dir = Path.Combine(root, "format1");
        ModelPackage.Write(dir, model, Options());
        var path = Path.Combine(dir, ModelPackage.DescriptionFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(2, json["format_version"]!.GetValue<int>());
        Assert.Equal("max", json["architecture"]!["config"]!["global_pooling"]!.GetValue<string>());

        // As format 1 wrote it: no descriptions, no schema version.
        json["format_version"] = 1;
        json.Remove(ModelPackageJson.DescriptionSchemaField);
        json["architecture"]!.AsObject().Remove(ModelArchitecture.DescriptionField);
        File.WriteAllText(path, json.ToJsonString());

        using (var package = ModelPackage.Load(dir))
        using (var scope = torch.NewDisposeScope())
        using (var noGrad = torch.no_grad())
        {
            var x = torch.randn(2, 3, 16, 16);
            Assert.Equal(model.forward(x).data<float>().ToArray(), package.Model.forward(x).data<float>().ToArray());
        }

        // Format 1 called average pooling "average"; the vocabulary beside the enum still reads it.
        json["architecture"]!["config"]!["global_pooling"] = "average";
        File.WriteAllText(path, json.ToJsonString());
        Assert.Equal(GlobalPooling.Average, Assert.IsType<MacroCnnArchitecture>(ModelPackage.ReadDescription(dir).Architecture).Config.GlobalPooling);
    }

    [Fact]
    public void A_package_from_a_newer_autonet_is_refused_saying_so()
    {
        using var model = Build("macro");
        var dir = Path.Combine(root, "newer");
        ModelPackage.Write(dir, model, Options());
        var path = Path.Combine(dir, ModelPackage.DescriptionFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["format_version"] = 3;
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains("$.format_version", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer than this AutoNet reads", error.Message, StringComparison.Ordinal);

        json["format_version"] = 2;
        json[ModelPackageJson.DescriptionSchemaField] = 2;
        File.WriteAllText(path, json.ToJsonString());
        var schema = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains("$." + ModelPackageJson.DescriptionSchemaField, schema.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_weights_are_reported_with_the_file_name()
    {
        using var model = Build("macro");
        var dir = Path.Combine(root, "corrupt");
        ModelPackage.Write(dir, model, Options());
        var weights = Path.Combine(dir, ModelPackage.WeightsFile);
        File.WriteAllBytes(weights, [1, 2, 3]);
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_card_shows_what_the_caller_recorded_and_says_what_was_not()
    {
        using var model = Build("cell");
        var card = new ModelCard
        {
            DataSet = "fashion-mnist",
            Split = "train 50000 / validation 10000 / test 10000, seed 7",
            Experiment = "exp-1",
            Trial = "17",
            Metrics = new Dictionary<string, double> { ["validation_accuracy"] = 0.9125, ["test_accuracy"] = 0.905 },
            Hyperparameters = new Dictionary<string, string> { ["learning_rate"] = "0.025", ["batch_size"] = "96" },
            Search = new ModelSearchSummary { Strategy = "evolution", TrialsCompleted = 40, TrialsPruned = 12, Duration = TimeSpan.FromMinutes(95) },
        };
        var dir = Path.Combine(root, "card");
        ModelPackage.Write(dir, model, Options(ModelExportFormats.All, card));
        var readme = File.ReadAllText(Path.Combine(dir, ModelPackage.CardFile));

        Assert.Contains("- Data set: fashion-mnist", readme, StringComparison.Ordinal);
        Assert.Contains("- Split: train 50000 / validation 10000 / test 10000, seed 7", readme, StringComparison.Ordinal);
        Assert.Contains("| validation_accuracy | 0.9125 |", readme, StringComparison.Ordinal);
        Assert.Contains("| learning_rate | 0.025 |", readme, StringComparison.Ordinal);
        Assert.Contains("- Strategy: evolution", readme, StringComparison.Ordinal);
        Assert.Contains("- Trials completed: 40", readme, StringComparison.Ordinal);
        Assert.Contains("- Duration: 0.01:35:00", readme, StringComparison.Ordinal);
        Assert.Contains("- Scheduler: not recorded", readme, StringComparison.Ordinal);
        Assert.Contains(PublishedGenotypes.NasNetA.Hash[..12], readme, StringComparison.Ordinal);
        Assert.Contains("`model.onnx`", readme, StringComparison.Ordinal);

        var read = ModelPackage.ReadDescription(dir).Card!;
        Assert.Equal(card.Metrics, read.Metrics);
        Assert.Equal(card.Hyperparameters, read.Hyperparameters);
        Assert.Equal(card.Search with { Notes = null }, read.Search);
        Assert.Equal(card.DataSet, read.DataSet);

        var bare = Path.Combine(root, "bare");
        ModelPackage.Write(bare, model, Options());
        var plain = File.ReadAllText(Path.Combine(bare, ModelPackage.CardFile));
        Assert.Contains("- Data set: not recorded", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("model.onnx", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void The_packaged_onnx_model_carries_the_architecture_and_preprocessing_in_its_metadata()
    {
        using var model = Build("transfer");
        var dir = Path.Combine(root, "onnx-meta");
        ModelPackage.Write(dir, model, Options(ModelExportFormats.Onnx));
        var check = OnnxPeers.CheckModels([Path.Combine(dir, ModelPackage.OnnxFile)])[0]!;
        Assert.True(check["ok"]!.GetValue<bool>(), check["error"]?.ToString());
        var metadata = check["metadata"]!;
        Assert.Equal("transfer", JsonNode.Parse(metadata["autonet_architecture"]!.GetValue<string>())!["kind"]!.GetValue<string>());
        Assert.Equal("[\"cat\",\"dog\",\"bird\"]", metadata["class_names"]!.GetValue<string>());
        Assert.Equal("[\"batch\",3,16,16]", check["inputs"]!["input"]!.ToJsonString());
    }

    [Fact]
    public void Writing_loading_and_transferring_in_a_loop_leaves_no_tensor_behind()
    {
        using var model = Build("cell");
        void Round(int i)
        {
            var dir = Path.Combine(root, "loop" + i);
            ModelPackage.Write(dir, model, Options(ModelExportFormats.All));
            using (var package = ModelPackage.Load(dir))
            using (var scope = torch.NewDisposeScope())
            {
                package.Model.forward(torch.randn([1, 3, 16, 16]));
            }

            var (network, _) = ModelPackage.LoadAsBackbone(dir, 2);
            using (network)
            using (var scope = torch.NewDisposeScope())
            {
                network.forward(torch.randn([1, 3, 16, 16]));
            }
        }

        // TorchSharp 0.107's own layer constructors leave a few tensors undisposed (nn.Conv2d with a bias 3, BatchNorm2d
        // and Linear 2, measured), so building a network costs a fixed count the package code cannot free: the loop may
        // grow by exactly what building its two networks costs, and by nothing of its own.
        long BuildCost()
        {
            var start = LiveTensorCollection.Settled();
            using (var network = ModelPackage.ReadDescription(Path.Combine(root, "loop0")).Architecture.Build())
            using (var transfer = new TransferNetwork(FeatureExtractor.From(Build("cell")), TransferHead.Linear(), 2, 0.0))
            {
            }

            return LiveTensorCollection.Settled() - start;
        }

        Round(0);
        var cost = BuildCost();
        var before = LiveTensorCollection.Settled();
        for (var i = 1; i <= 3; i++)
        {
            Round(i);
        }

        Assert.Equal(3 * cost, LiveTensorCollection.Settled() - before);
        Assert.True(cost < 400, $"building the networks leaves {cost} tensors");
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
