using System.Text.Json;
using AutoNet.Data.Decoding;
using AutoNet.Data.Drawing;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Cli.Tests;

public sealed class DataInspectCommandTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("autonet-inspect-data-").FullName;
    private readonly string workspace = Directory.CreateTempSubdirectory("autonet-inspect-ws-").FullName;

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    public void Dispose()
    {
        Directory.Delete(data, recursive: true);
        Directory.Delete(workspace, recursive: true);
    }

    [Fact]
    public void Inspect_json_reports_classes_sizes_skipped_files_duplicates_split_and_writes_a_contact_sheet()
    {
        for (var i = 0; i < 6; i++)
        {
            Png($"ant/a{i}.png", 20 + i, 16, 1, i);
            Png($"bee/b{i}.png", 30, 30, 3, 100 + i);
        }

        Png("bee/b9.png", 30, 30, 3, 100 + 9);
        File.Copy(Path.Join(data, "ant/a0.png"), Path.Join(data, "bee/same_as_ant.png"));
        File.WriteAllText(Path.Join(data, "ant/notes.png"), "not an image");
        File.WriteAllBytes(Path.Join(data, "bee/empty.jpg"), []);
        var before = Snapshot(data);

        var (exitCode, stdout, stderr) = Inspect(data, "--json", "--seed", "4");
        Assert.True(exitCode == 0, stderr + stdout);
        using var report = JsonDocument.Parse(stdout);
        var root = report.RootElement;
        var classes = root.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["ant"] = 7, ["bee"] = 8 }, classes);
        Assert.Equal(15, root.GetProperty("samples").GetInt32());
        Assert.Equal(14, root.GetProperty("images").GetProperty("decodable").GetInt32());
        Assert.Equal(20, root.GetProperty("images").GetProperty("sizes").GetProperty("minWidth").GetInt32());
        Assert.Equal(30, root.GetProperty("images").GetProperty("sizes").GetProperty("maxHeight").GetInt32());
        Assert.Equal(7, root.GetProperty("images").GetProperty("modes").GetProperty("L").GetInt32());
        Assert.Equal(7, root.GetProperty("images").GetProperty("modes").GetProperty("RGB").GetInt32());

        var skipped = root.GetProperty("skipped");
        Assert.Equal(2, skipped.GetProperty("count").GetInt32());
        Assert.Equal(1, skipped.GetProperty("byReason").GetProperty("EmptyFile").GetInt32());
        Assert.Equal(1, skipped.GetProperty("byReason").GetProperty("NotAnImage").GetInt32());
        var skippedCsv = File.ReadAllText(skipped.GetProperty("file").GetString()!);
        Assert.Contains(Path.Join(data, "ant/notes.png"), skippedCsv);
        Assert.StartsWith(workspace, skipped.GetProperty("file").GetString()!);

        var duplicates = root.GetProperty("duplicates");
        Assert.Equal(1, duplicates.GetProperty("acrossClasses").GetInt32());
        Assert.Equal(["ant/a0.png (ant)", "bee/same_as_ant.png (bee)"],
            duplicates.GetProperty("first")[0].GetProperty("samples").EnumerateArray().Select(s => s.GetString()!));

        var split = root.GetProperty("split");
        Assert.Equal(4, split.GetProperty("seed").GetInt32());
        Assert.Equal(15, split.GetProperty("train").GetInt32() + split.GetProperty("validation").GetInt32() + split.GetProperty("test").GetInt32());

        var sheet = root.GetProperty("contactSheet").GetString()!;
        Assert.StartsWith(Path.Join(workspace, "inspect"), sheet);
        using (var image = ImageDecoder.Default.DecodeFile(sheet))
        {
            Assert.Equal(3, image.shape[2]);
        }

        Assert.Equal(before, Snapshot(data));
    }

    [Fact]
    public void Inspect_shows_tables_and_reports_a_given_split_file()
    {
        for (var i = 0; i < 5; i++)
        {
            Png($"cat/c{i}.png", 12, 12, 1, i);
            Png($"dog/d{i}.png", 12, 12, 1, 10 + i);
        }

        var listing = ImageFolderSource.Scan(data);
        var splitPath = Path.Join(workspace, "split.json");
        new StratifiedSplitter(new SplitFractions(0.6, 0.2, 0.2), seed: 9).Split(listing).Save(splitPath);
        var (exitCode, stdout, stderr) = Inspect(data, "--split", splitPath, "--contact-sheet", Path.Join(workspace, "sheet.png"));
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Contains("cat", stdout);
        Assert.Contains("split: from " + splitPath, stdout);
        Assert.Contains("duplicates: none", stdout);
        Assert.True(File.Exists(Path.Join(workspace, "sheet.png")));
    }

    [Fact]
    public void Inspect_of_fashion_mnist_reports_its_ten_classes_and_given_test_split()
    {
        var (exitCode, stdout, stderr) = Inspect(BuiltInDataSets.FashionMnistName, "--json", "--threads", "2", "--per-class", "2");
        Assert.True(exitCode == 0, stderr + stdout);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(10, report.RootElement.GetProperty("classes").GetArrayLength());
        Assert.Equal(70_000, report.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(10_000, report.RootElement.GetProperty("split").GetProperty("test").GetInt32());
    }

    [Fact]
    public void A_single_class_fails_with_a_message_naming_the_folder()
    {
        Png("only/a.png", 8, 8, 1, 1);
        var (exitCode, _, stderr) = Inspect(data, "--json");
        Assert.Equal(1, exitCode);
        Assert.Contains(data, stderr);
        Assert.Contains("only one class", stderr);
    }

    [Theory]
    [InlineData("no-such-data-set")]
    [InlineData("/no/such/folder")]
    public void A_missing_source_fails_naming_it(string source)
    {
        var (exitCode, _, stderr) = Inspect(source);
        Assert.Equal(1, exitCode);
        Assert.Contains(source, stderr);
    }

    [Fact]
    public void Bad_fractions_and_a_contact_sheet_inside_the_data_folder_are_refused()
    {
        Png("cat/a.png", 8, 8, 1, 1);
        Png("dog/b.png", 8, 8, 1, 2);
        var before = Snapshot(data);
        var (exitCode, _, stderr) = Inspect(data, "--fractions", "0.5,0.1");
        Assert.Equal(1, exitCode);
        Assert.Contains("--fractions", stderr);

        (exitCode, _, stderr) = Inspect(data, "--contact-sheet", Path.Join(data, "cat", "sheet.png"));
        Assert.Equal(1, exitCode);
        Assert.Contains("never writes into", stderr);
        Assert.Equal(before, Snapshot(data));
    }

    private (int ExitCode, string Stdout, string Stderr) Inspect(string source, params string[] options) =>
        ProcessRunner.Run("dotnet", [CliDll, "data", "inspect", source, "--workspace", workspace, .. options]);

    private void Png(string relative, int width, int height, int channels, int seed)
    {
        var pixels = new byte[width * height * channels];
        new Random(seed).NextBytes(pixels);
        var path = Path.Join(data, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, PngWriter.Encode(pixels, width, height, channels));
    }

    private static List<string> Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => $"{p}|{(File.Exists(p) ? new FileInfo(p).Length : -1)}|{File.GetLastWriteTimeUtc(p).Ticks}")
            .Append($"{root}|{Directory.GetLastWriteTimeUtc(root).Ticks}")
            .Order(StringComparer.Ordinal)];
}
