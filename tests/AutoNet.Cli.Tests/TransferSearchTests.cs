using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Export.Packaging;
using Xunit.Abstractions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// `autonet search --space transfer --backbone-weights FILE` from a torchvision state dict that python3-torch wrote
/// (<see cref="TransferWeightsFixture"/>), on grey Fashion-MNIST PNGs: a couple of trials train and the winner exports;
/// files that are not such a state dict are refused naming the file and key.
/// </summary>
public sealed class TransferSearchTests(TransferWeightsFixture fixture, ITestOutputHelper output) : IClassFixture<TransferWeightsFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autonet-transfer-work-").FullName;

    private string Data => fixture.Data;

    private string Weights => fixture.Weights;

    [Fact]
    public void A_transfer_search_from_a_torchvision_pth_trains_a_couple_of_trials_and_its_winner_exports()
    {
        var pth = Path.Join(Weights, "resnet18.pth");
        var workspace = Path.Join(root, "workspace");
        var search = Cli(900, "search", "--data", Data, "--space", "transfer", "--backbone-weights", pth, "--strategy", "random",
            "--max-trials", "2", "--max-epochs", "2", "--workers", "2", "--experiment", "transfer", "--seed", "2", "--device", "cpu",
            "--workspace", workspace, "--json");
        output.WriteLine(search.Stderr);
        Assert.True(search.ExitCode == 0, search.Stderr + search.Stdout);
        using var summary = JsonDocument.Parse(search.Stdout);
        Assert.Equal(2, summary.RootElement.GetProperty("trials").GetProperty("total").GetInt32());

        var package = Path.Join(root, "package");
        var export = Cli(600, "export", "best", "--experiment", "transfer", "--out", package, "--workspace", workspace);
        Assert.True(export.ExitCode == 0, export.Stderr + export.Stdout);
        var model = JsonNode.Parse(File.ReadAllText(Path.Join(package, ModelPackage.DescriptionFile)))!;
        Assert.Equal("transfer", model["architecture"]!["kind"]!.GetValue<string>());
        Assert.Contains("resnet18", model["architecture"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(package, ModelPackage.OnnxFile)));

        // The exported network predicts from the package alone.
        var image = Directory.EnumerateFiles(Path.Join(Data, "class3")).First();
        var predict = Cli(300, "predict", package, image, "--json");
        Assert.True(predict.ExitCode == 0, predict.Stderr + predict.Stdout);
    }

    [Theory]
    [InlineData("mismatched.pth", "layer4.1.conv2.weight")]
    [InlineData("linear.pth", "bias")]
    [InlineData("truncated.pth", null)]
    public void A_file_that_is_not_a_backbone_state_dict_is_refused_naming_the_file_and_the_first_bad_key(string file, string? key)
    {
        var path = Path.Join(Weights, file);

        var (exitCode, stdout, stderr) = Cli(300, "search", "--data", Data, "--space", "transfer", "--backbone-weights", path, "--max-trials", "1",
            "--device", "cpu", "--workspace", Path.Join(root, $"workspace-{file}"));

        Assert.True(exitCode == 1, stderr + stdout);
        var error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(path, error, StringComparison.Ordinal);
        if (key is not null)
        {
            Assert.Contains($"{path}: {key}: ", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_transfer_search_without_weights_is_refused_saying_how_to_give_them()
    {
        var (exitCode, stdout, stderr) = Cli(300, "search", "--data", Data, "--space", "transfer", "--max-trials", "1", "--device", "cpu",
            "--workspace", Path.Join(root, "workspace-none"));

        Assert.True(exitCode == 1, stderr + stdout);
        Assert.Contains("downloads nothing", stderr, StringComparison.Ordinal);
        Assert.Contains("--backbone-weights", stderr, StringComparison.Ordinal);
        Assert.Contains("torch.save(torchvision.models.resnet18(weights=\"DEFAULT\").state_dict()", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private static (int ExitCode, string Stdout, string Stderr) Cli(int timeoutSeconds, params string[] arguments) =>
        ProcessRunner.Run("dotnet", [TinySearchFixture.CliDll, .. arguments], timeoutSeconds);
}
