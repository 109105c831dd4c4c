using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoNet.Cli.Prediction;
using AutoNet.Data;
using AutoNet.Export.Packaging;
using AutoNet.Scheduling;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli;

/// <summary>
/// `autonet predict &lt;model-dir&gt; &lt;image|folder|manifest.csv&gt;`: the most probable classes of each image
/// with their probabilities; a table for one image, CSV (or JSON) with a row per file for several. Files that cannot
/// be decoded are reported with the reason and the rest are still predicted. Nothing is written into the inputs' folder.
/// </summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model-dir") { Description = "A model package folder (autonet export)." };
        var input = new Argument<string>("input") { Description = "An image, a folder of images, or a CSV manifest (path,label)." };
        var topK = new Option<int>("--top-k") { Description = "How many of the most probable classes to show.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Write the predictions as JSON for scripts." };
        var csv = new Option<string?>("--csv") { Description = "Also write the predictions to this CSV file." };
        var threads = new Option<int?>("--threads") { Description = "Decoder and CPU threads (default: all cores)." };
        var device = new Option<string>("--device") { Description = "Where the model runs: cpu or cuda[:N].", DefaultValueFactory = _ => "cpu" };
        var command = new Command("predict", "Predict the classes of images with a model package, with probabilities.")
        {
            model, input, topK, json, csv, threads, device,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            new Request(result.GetValue(model)!, result.GetValue(input)!, result.GetValue(topK), result.GetValue(json), result.GetValue(csv),
                result.GetValue(threads), result.GetValue(device)!),
            cancellationToken)));
        return command;
    }

    private static int Run(Request request, CancellationToken cancellationToken)
    {
        try
        {
            var report = Predict(request, cancellationToken);
            if (request.CsvPath is not null)
            {
                File.WriteAllText(Path.GetFullPath(request.CsvPath), ToCsv(report, request.TopK));
            }

            if (request.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
            }
            else if (report.Predictions.Count == 1 && report.Failures.Count == 0 && File.Exists(request.Input))
            {
                WriteTable(report.Predictions[0]);
            }
            else if (request.CsvPath is null)
            {
                Console.Out.Write(ToCsv(report, request.TopK));
            }

            foreach (var failure in report.Failures)
            {
                Console.Error.WriteLine($"skipped {failure.Path}: {failure.Reason}");
            }

            if (report.Predictions.Count == 0)
            {
                Console.Error.WriteLine($"error: none of the {report.Failures.Count} file(s) could be predicted");
                return 1;
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return CliErrors.Interrupted;
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, Console.Error, Path.GetTempPath());
        }
    }

    /// <summary>Checks the request, loads the package and predicts; a single file that cannot be decoded is an error.</summary>
    public static PredictionReport Predict(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TopK < 1)
        {
            throw new CliException($"--top-k must be at least 1, got {request.TopK}");
        }

        if (request.Threads is < 1)
        {
            throw new CliException($"--threads must be at least 1, got {request.Threads}");
        }

        var device = ParseDevice(request.Device);
        var inputs = PredictionInputs.Resolve(request.Input);
        if (request.CsvPath is not null)
        {
            var csvPath = Path.GetFullPath(request.CsvPath);
            WorkspaceGuard.EnsureOutside(csvPath, inputs.Source);
            if (Directory.Exists(csvPath))
            {
                throw new CliException($"--csv {csvPath} is a folder; give a file name");
            }
        }

        var threads = request.Threads ?? Environment.ProcessorCount;
        torch.set_num_threads(threads);
        using var package = ModelPackage.Load(request.ModelDir, device);
        var reader = new PackageImageReader(package.Preprocessing);
        if (inputs.SingleFile)
        {
            // One file named on the command line: a decode failure is the command's error, not a skipped row.
            reader.Read(inputs.Paths[0], new byte[reader.ImageBytes]);
        }

        var report = Predictor.Predict(package.Model, reader, package.ClassNames, inputs.Paths, request.TopK, device, threads,
            package.Directory, inputs.Source, cancellationToken);
        return report with { Failures = [.. inputs.Skipped, .. report.Failures] };
    }

    internal static Device ParseDevice(string text)
    {
        try
        {
            return TorchDevices.ParseAvailable(text);
        }
        catch (FormatException e)
        {
            throw new CliException($"--device must be cpu, cuda or cuda:N, got '{text}' ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--device {e.Message} (autonet doctor says what was found)", e);
        }
    }

    /// <summary>One row per file: path, then rank-ordered class and probability pairs, and the error for a skipped file.</summary>
    public static string ToCsv(PredictionReport report, int topK)
    {
        ArgumentNullException.ThrowIfNull(report);
        var width = Math.Min(topK, report.ClassNames.Count);
        var text = new StringBuilder("path");
        for (var r = 1; r <= width; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $",class_{r},probability_{r}");
        }

        text.Append(",error\n");
        foreach (var prediction in report.Predictions)
        {
            text.Append(Quote(prediction.Path));
            foreach (var top in prediction.Top)
            {
                text.Append(',').Append(Quote(top.Name)).Append(',').Append(top.Probability.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append(",\n");
        }

        foreach (var failure in report.Failures)
        {
            text.Append(Quote(failure.Path)).Append(string.Concat(Enumerable.Repeat(",,", width))).Append(',').Append(Quote(failure.Reason)).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static void WriteTable(ImagePrediction prediction)
    {
        var table = new Table().AddColumn("rank").AddColumn("class").AddColumn(new TableColumn("probability").RightAligned());
        foreach (var top in prediction.Top)
        {
            table.AddRow(top.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(top.Name), top.Probability.ToString("0.0000", CultureInfo.InvariantCulture));
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(prediction.Path)}[/]");
        AnsiConsole.Write(table);
    }

    /// <summary>The command's inputs, as parsed.</summary>
    public sealed record Request(string ModelDir, string Input, int TopK, bool Json, string? CsvPath, int? Threads, string Device);
}
