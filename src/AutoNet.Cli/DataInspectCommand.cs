using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AutoNet.Data;
using AutoNet.Data.Drawing;
using AutoNet.Data.Inspection;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using Spectre.Console;

namespace AutoNet.Cli;

/// <summary>
/// `autonet data inspect &lt;path|fashion-mnist&gt;`: classes with counts, image sizes and modes, skipped files with
/// reasons, duplicates, the split that would be used, class imbalance, and a contact sheet PNG. Everything it writes
/// goes into the workspace (default ./.autonet), never into the data folder.
/// </summary>
public static class DataInspectCommand
{
    public const string DefaultWorkspace = ".autonet";

    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "An image folder, a CSV manifest, or a built-in data set (fashion-mnist)." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON for scripts." };
        var workspace = new Option<string>("--workspace") { Description = "Folder for what inspect writes (skipped list, contact sheet).", DefaultValueFactory = _ => DefaultWorkspace };
        var sheet = new Option<string?>("--contact-sheet") { Description = "Where to write the contact sheet PNG (default: <workspace>/inspect/<name>-contact-sheet.png)." };
        var perClass = new Option<int>("--per-class") { Description = "Images per class on the contact sheet.", DefaultValueFactory = _ => 8 };
        var splitFile = new Option<string?>("--split") { Description = "A saved split (JSON) to report instead of a new one." };
        var seed = new Option<int>("--seed") { Description = "Seed of the stratified split.", DefaultValueFactory = _ => 0 };
        var fractions = new Option<string>("--fractions") { Description = "Train, validation and test fractions.", DefaultValueFactory = _ => "0.8,0.1,0.1" };
        var threads = new Option<int?>("--threads") { Description = "Decoder threads (default: all cores)." };
        var command = new Command("inspect", "Report what a data set holds: classes, sizes, modes, skipped files, duplicates, split, imbalance; write a contact sheet.")
        {
            source, json, workspace, sheet, perClass, splitFile, seed, fractions, threads,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            new Request(result.GetValue(source)!, result.GetValue(json), result.GetValue(workspace)!, result.GetValue(sheet), result.GetValue(perClass),
                result.GetValue(splitFile), result.GetValue(seed), result.GetValue(fractions)!, result.GetValue(threads)),
            cancellationToken)));
        return command;
    }

    private static int Run(Request request, CancellationToken cancellationToken)
    {
        try
        {
            var inspection = Inspect(request, cancellationToken);
            if (request.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(inspection, CliJson.Options));
            }
            else
            {
                DataInspectionView.Write(inspection);
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

    public static DataInspection Inspect(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fractions = ParseFractions(request.Fractions);
        if (request.PerClass <= 0)
        {
            throw new CliException($"--per-class must be at least 1, got {request.PerClass}");
        }

        var listing = DataSetSources.Open(request.Source);
        var folder = Path.Join(Path.GetFullPath(request.Workspace), "inspect");
        var name = SafeName(listing.Source);
        var sheetPath = Path.GetFullPath(request.ContactSheet ?? Path.Join(folder, name + "-contact-sheet.png"));
        var skippedPath = Path.Join(folder, name + "-" + SkippedFileReport.FileName);
        WorkspaceGuard.EnsureOutside(folder, listing.Source);
        WorkspaceGuard.EnsureOutside(sheetPath, listing.Source);

        DataSplit split;
        if (request.SplitFile is not null)
        {
            split = DataSplit.Load(request.SplitFile);
            split.CheckMatches(listing);
        }
        else
        {
            split = new StratifiedSplitter(fractions, request.Seed).Split(listing);
        }

        var survey = WithProgress(request.Json, progress =>
            DataSetSurvey.Run(listing, request.Threads ?? Environment.ProcessorCount, progress, cancellationToken));
        Directory.CreateDirectory(folder);
        SkippedFileReport.Write(skippedPath, listing.Skipped, survey.Failures);
        ContactSheet.Write(sheetPath, listing, request.PerClass);
        return DataInspection.Create(survey, split, skippedPath, sheetPath, request.SplitFile is null ? null : Path.GetFullPath(request.SplitFile));
    }

    /// <summary>Shows a progress bar on an interactive terminal (not with --json, whose output is for scripts).</summary>
    private static T WithProgress<T>(bool json, Func<IProgress<DataProgress>?, T> work)
    {
        if (json || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work(null);
        }

        T result = default!;
        AnsiConsole.Progress().Start(context =>
        {
            var task = context.AddTask("reading images");
            result = work(new TaskProgress(task));
        });
        return result;
    }

    internal static SplitFractions ParseFractions(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 3 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new CliException($"--fractions must be three numbers 'train,validation,test' such as 0.8,0.1,0.1, got '{text}'");
        }

        var values = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var fractions = new SplitFractions(values[0], values[1], values[2]);
        try
        {
            fractions.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--fractions {text}: {e.Message}", e);
        }

        return fractions;
    }

    private static string SafeName(string source)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(source));
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "data" : safe;
    }

    /// <summary>The command's inputs, as parsed.</summary>
    public sealed record Request(string Source, bool Json, string Workspace, string? ContactSheet, int PerClass, string? SplitFile, int Seed,
        string Fractions, int? Threads);

    private sealed class TaskProgress(ProgressTask task) : IProgress<DataProgress>
    {
        public void Report(DataProgress value)
        {
            task.Description = value.Stage;
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
        }
    }
}
