using System.Text.Json;
using AutoNet.Cli.Inspection;
using AutoNet.Models.Genotypes;
using AutoNet.Scheduling.Experiments;
using AutoNet.Store;

namespace AutoNet.Cli.Tests;

public sealed class ShowCommandTests(InspectionStoreFixture fixture) : IClassFixture<InspectionStoreFixture>, IDisposable
{
    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    private readonly string workspace = Path.Combine(Path.GetTempPath(), "autonet-show-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task A_completed_cell_trial_shows_its_cells_hyperparameters_epochs_timings_and_test_metrics()
    {
        Directory.CreateDirectory(workspace);
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var report = await ShowCommand.ReportAsync(store, 1, "alpha", workspace, null, CancellationToken.None);

        Assert.Equal(("alpha", 1L, "Completed"), (report.Experiment, report.Number, report.State));
        Assert.Null(report.FailureReason);
        Assert.Equal(("worker-a", "cpu", 1L), (report.Worker, report.Device, report.Attempts));
        Assert.Equal((1000L, 5000L), (report.Parameters, report.Flops));
        Assert.Equal(22.0, report.TrainingSeconds);
        Assert.NotNull(report.WallSeconds);
        Assert.Equal((0.70, 0.68), (report.BestValidationAccuracy!.Value, report.TestAccuracy!.Value));
        Assert.Equal(InspectionStoreFixture.AlphaGenotype.Canonicalize().Normal.ToString(), report.Cells!.Normal);
        Assert.Equal(InspectionStoreFixture.AlphaGenotype.Canonicalize().Reduction.ToString(), report.Cells.Reduction);
        Assert.Equal(new[] { "batch_size", "learning_rate", "optimizer" }, report.Hyperparameters.Keys);
        Assert.Equal(new[] { 0.50, 0.70 }, report.Epochs.Select(e => e.ValidationAccuracy!.Value));

        // No trial folder under this workspace and no --diagram: nothing is written, and the report says why.
        Assert.Null(report.Diagram);
        Assert.Contains("--diagram", report.DiagramNote);
        Assert.Empty(Directory.EnumerateFileSystemEntries(workspace));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, CliJson.Options));
        var root = json.RootElement;
        Assert.Equal(0.70, root.GetProperty("bestValidationAccuracy").GetDouble());
        Assert.Equal(0.97, root.GetProperty("testMetrics").GetProperty("top5").GetDouble());
        Assert.Equal(0.05, root.GetProperty("hyperparameters").GetProperty("learning_rate").GetDouble());
        Assert.Equal("sgd", root.GetProperty("hyperparameters").GetProperty("optimizer").GetString());
        Assert.Equal(2, root.GetProperty("epochs").GetArrayLength());
        Assert.Equal(12.0, root.GetProperty("epochs")[1].GetProperty("seconds").GetDouble());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("architecture").GetProperty("normal").GetProperty("blocks").ValueKind);
        Assert.False(root.TryGetProperty("genotype", out _));
    }

    [Fact]
    public async Task The_cell_diagram_is_written_into_the_trials_folder_as_dot_and_as_svg_only_when_graphviz_is_installed()
    {
        var folder = TrialRequestFactory.TrialDirectory(workspace, "alpha", 3);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "checkpoint.pt"), "kept");
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);

        var report = await ShowCommand.ReportAsync(store, 3, "alpha", workspace, null, CancellationToken.None);

        var diagram = report.Diagram!;
        Assert.Equal(Path.Combine(folder, "cell.dot"), diagram.Dot);
        Assert.Equal(CellDiagram.ToDot(Genotype.FromJson(InspectionStoreFixture.AlphaGenotype.ToCanonicalJson())), File.ReadAllText(diagram.Dot));
        var expected = new List<string> { "cell.dot", "checkpoint.pt" };
        if (Graphviz.IsAvailable)
        {
            Assert.Equal(Path.Combine(folder, "cell.svg"), diagram.Svg);
            Assert.Contains("<svg", File.ReadAllText(diagram.Svg!), StringComparison.Ordinal);
            expected.Add("cell.svg");
        }
        else
        {
            Assert.Null(diagram.Svg);
            Assert.Contains("graphviz", diagram.SvgSkipped, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(expected.Order(), Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal("kept", File.ReadAllText(Path.Combine(folder, "checkpoint.pt")));
        Assert.Single(Directory.EnumerateFileSystemEntries(workspace));
    }

    [Fact]
    public async Task A_diagram_path_gets_the_files_but_an_existing_file_or_a_name_without_dot_is_refused()
    {
        Directory.CreateDirectory(workspace);
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var path = Path.Combine(workspace, "best.dot");

        var report = await ShowCommand.ReportAsync(store, 1, "alpha", workspace, path, CancellationToken.None);

        Assert.Equal(path, report.Diagram!.Dot);
        Assert.StartsWith("digraph genotype {", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(Graphviz.IsAvailable, File.Exists(Path.Combine(workspace, "best.svg")));
        var again = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, 1, "alpha", workspace, path, CancellationToken.None));
        Assert.Contains("already exists", again.Message, StringComparison.Ordinal);
        var svg = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, 1, "alpha", workspace, Path.Combine(workspace, "x.svg"), CancellationToken.None));
        Assert.Contains(".dot", svg.Message, StringComparison.Ordinal);
        Assert.Equal(Graphviz.IsAvailable ? 2 : 1, Directory.EnumerateFiles(workspace).Count());
    }

    [Fact]
    public async Task A_diagram_path_inside_the_experiments_data_folder_is_refused_and_nothing_is_written()
    {
        var data = Path.Combine(workspace, "photos");
        Directory.CreateDirectory(Path.Combine(data, "cats"));
        File.WriteAllBytes(Path.Combine(data, "cats", "1.png"), [1, 2, 3]);
        var copy = Path.Combine(workspace, "autonet.db");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Copy(fixture.StorePath, copy);
        await using var store = await ExperimentStore.OpenAsync(copy);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE experiments SET data_source = $data WHERE name = 'alpha'";
            command.Parameters.AddWithValue("$data", data);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var diagram = Path.Combine(data, "cell.dot");
        var error = await Assert.ThrowsAsync<AutoNet.Data.DataSetException>(() => ShowCommand.ReportAsync(store, 1, "alpha", workspace, diagram, CancellationToken.None));

        Assert.Contains(diagram, error.Message, StringComparison.Ordinal);
        Assert.Equal(["1.png"], Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_trial_shows_its_reason_and_no_epochs()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var report = await ShowCommand.ReportAsync(store, 4, "alpha", workspace, null, CancellationToken.None);
        Assert.Equal(("Failed", "CUDA out of memory"), (report.State, report.FailureReason));
        Assert.Empty(report.Epochs);
        Assert.Equal(0.0, report.TrainingSeconds);
        Assert.Null(report.TestAccuracy);
    }

    [Fact]
    public async Task A_macro_trial_named_by_its_store_wide_id_shows_its_architecture_and_has_no_diagram()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var beta = (await store.GetExperimentAsync("beta"))!;
        var second = (await store.ListTrialsAsync(beta.Id))[1];

        var report = await ShowCommand.ReportAsync(store, second.Id, null, workspace, null, CancellationToken.None);

        Assert.Equal(("beta", 2L), (report.Experiment, report.Number));
        Assert.Null(report.Cells);
        Assert.Null(report.DiagramNote);
        Assert.Equal(3, report.Architecture.GetProperty("arch/depth").GetInt32());
        Assert.Equal(new[] { "learning_rate" }, report.Hyperparameters.Keys);
        var error = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, second.Id, null, workspace, Path.Combine(workspace, "m.dot"), CancellationToken.None));
        Assert.Contains("not from a cell space", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace));
    }

    [Fact]
    public async Task Best_names_the_completed_trial_with_the_highest_validation_accuracy_of_the_experiment()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        // alpha: completed trials 1 (0.70) and 3 (0.80), pruned 2 and failed 4; beta: completed 0.65, 0.72, 0.30.
        var alpha = await ShowCommand.ReportAsync(store, "best", "alpha", workspace, null, CancellationToken.None);
        Assert.Equal(("alpha", 3L, 0.80), (alpha.Experiment, alpha.Number, alpha.BestValidationAccuracy!.Value));
        var beta = await ShowCommand.ReportAsync(store, "BEST", "beta", workspace, null, CancellationToken.None);
        Assert.Equal(("beta", 2L), (beta.Experiment, beta.Number));
        var numbered = await ShowCommand.ReportAsync(store, "1", "beta", workspace, null, CancellationToken.None);
        Assert.Equal(("beta", 1L), (numbered.Experiment, numbered.Number));

        // Without --experiment, best is the most recent experiment's, as for export and evaluate: "idle" has no scored trial.
        var latest = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, "best", null, workspace, null, CancellationToken.None));
        Assert.Contains("'idle' has no trial with a validation score yet", latest.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, "best", "empty", workspace, null, CancellationToken.None));
        Assert.Contains("'empty' has no trial with a validation score yet", empty.Message, StringComparison.Ordinal);
        var word = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, "winner", "alpha", workspace, null, CancellationToken.None));
        Assert.Contains("trial 'winner': expected a trial number", word.Message, StringComparison.Ordinal);

        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "show", "best", "--experiment", "alpha", "--store", fixture.StorePath, "--workspace", workspace, "--json"]);
        Assert.True(exitCode == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(3, json.RootElement.GetProperty("number").GetInt64());
        Assert.Equal(0.80, json.RootElement.GetProperty("bestValidationAccuracy").GetDouble());
    }

    [Fact]
    public async Task An_unknown_trial_or_experiment_is_a_clear_error()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var number = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, 9, "alpha", workspace, null, CancellationToken.None));
        Assert.Contains("has no trial 9", number.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 4", number.Message, StringComparison.Ordinal);
        var id = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, 999, null, workspace, null, CancellationToken.None));
        Assert.Contains("no trial with id 999", id.Message, StringComparison.Ordinal);
        var experiment = await Assert.ThrowsAsync<CliException>(() => ShowCommand.ReportAsync(store, 1, "gamma", workspace, null, CancellationToken.None));
        Assert.Contains("'gamma'", experiment.Message, StringComparison.Ordinal);
        Assert.Contains("alpha, beta", experiment.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_cli_shows_a_trial_as_json_and_as_text_with_its_learning_curve_and_fails_on_an_unknown_one()
    {
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "show", "3", "--experiment", "alpha", "--store", fixture.StorePath, "--workspace", workspace, "--json"]);
        Assert.True(exitCode == 0, stderr + stdout);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(0.80, json.RootElement.GetProperty("bestValidationAccuracy").GetDouble());
            Assert.Equal(30.0, json.RootElement.GetProperty("trainingSeconds").GetDouble());
        }

        (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "show", "3", "--experiment", "alpha", "--store", fixture.StorePath, "--workspace", workspace]);
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Contains("trial 3 of 'alpha'", stdout, StringComparison.Ordinal);
        // Validation accuracy 0.60, 0.80, 0.75 scaled between 0.60 and 0.80: lowest, highest, 0.75 of the way → bar 6 of 8.
        Assert.Contains("▁█▆", stdout, StringComparison.Ordinal);
        Assert.Contains("test 0.7800", stdout, StringComparison.Ordinal);

        (exitCode, _, stderr) = ProcessRunner.Run("dotnet", [CliDll, "show", "7", "--experiment", "alpha", "--store", fixture.StorePath]);
        Assert.Equal(1, exitCode);
        Assert.Contains("error: experiment 'alpha' has no trial 7", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace));
    }
}
