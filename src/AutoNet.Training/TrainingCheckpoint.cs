using System.Text.Json;
using AutoNet.Torch.Weights;
using TorchSharp;
using TorchSharp.Modules;
using RateSchedule = AutoNet.Torch.Schedules.LearningRateSchedule;

namespace AutoNet.Training;

/// <summary>
/// A trial's checkpoint: one folder with what <see cref="TrainingSnapshot"/> writes — the weights
/// (<c>model.safetensors</c>), the optimizer state (<c>optimizer.bin</c>, TorchSharp's own format) and libtorch's CPU
/// generator state (<c>rng.safetensors</c>) — and <c>checkpoint.json</c> (epoch, schedule step, history). A save is
/// written into a staging folder beside it, every file and the folder flushed to the disk, and swapped in by renames
/// (the parent folder flushed after them), so a crash mid-save leaves the previous checkpoint readable, never a mix
/// of two. Load outside any dispose scope (TorchSharp creates missing optimizer state in the current one).
/// </summary>
public static class TrainingCheckpoint
{
    public const string ModelFile = TrainingSnapshot.ModelFile;
    public const string OptimizerFile = TrainingSnapshot.OptimizerFile;
    public const string RngFile = TrainingSnapshot.RngFile;
    public const string InfoFile = "checkpoint.json";

    private const string PreviousSuffix = ".previous";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Whether <paramref name="directory"/> (or the copy a crash left behind) holds a complete checkpoint.</summary>
    public static bool Exists(string directory) => Readable(Path.GetFullPath(directory)) is not null;

    public static void Save(string directory, torch.nn.Module model, OptimizerHelper optimizer, RateSchedule schedule, CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(info);
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"checkpoint folder '{full}' has no parent", nameof(directory));
        Directory.CreateDirectory(parent);
        var staging = $"{full}.saving-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            TrainingSnapshot.Save(staging, model, optimizer);
            var written = info with { Format = CheckpointInfo.CurrentFormat, ScheduleStep = schedule.StepCount };
            using (var stream = new FileStream(Path.Combine(staging, InfoFile), FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, written, Json);
                stream.Flush(flushToDisk: true);
            }

            FolderFlush.Flush(staging);
            Swap(staging, full);
            FolderFlush.Flush(parent);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// Restores weights, optimizer, schedule and generator state into freshly built objects of the same shape, and
    /// returns the info; errors name the checkpoint file and what is wrong.
    /// </summary>
    public static CheckpointInfo Load(string directory, torch.nn.Module model, OptimizerHelper optimizer, RateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        var (source, info) = ReadInfo(directory);
        Guarded(() => TrainingSnapshot.Load(source, model, optimizer));
        schedule.Restore(info.ScheduleStep);
        return info;
    }

    /// <summary>
    /// Loads only the weights of the checkpoint in <paramref name="directory"/> into a freshly built model of the same
    /// shape (export and evaluation need no optimizer), and returns its info.
    /// </summary>
    public static CheckpointInfo LoadWeights(string directory, torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (source, info) = ReadInfo(directory);
        Guarded(() => ModuleWeights.Load(model, Path.Combine(source, ModelFile)));
        return info;
    }

    /// <summary>The readable checkpoint folder (it or the copy a crash left) and its info, checked for format.</summary>
    private static (string Source, CheckpointInfo Info) ReadInfo(string directory)
    {
        var source = Readable(Path.GetFullPath(directory))
            ?? throw new FileNotFoundException($"no complete checkpoint in '{Path.GetFullPath(directory)}'", directory);
        var path = Path.Combine(source, InfoFile);
        CheckpointInfo info;
        try
        {
            info = JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllText(path), Json)
                ?? throw new CheckpointException(path, "holds null, not a checkpoint description");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"is not a valid checkpoint description ({e.Message})", e);
        }

        if (info.Format != CheckpointInfo.CurrentFormat)
        {
            throw new CheckpointException(path, $"has format {info.Format}; this AutoNet reads format {CheckpointInfo.CurrentFormat}");
        }

        if (info.Epoch < 0 || info.History is null)
        {
            throw new CheckpointException(path, $"says epoch {info.Epoch} with {(info.History is null ? "no" : "a")} history; expected a count of epochs and their metrics");
        }

        return (source, info);
    }

    /// <summary>A file of the checkpoint that is missing, damaged or of another network: the error names it.</summary>
    private static void Guarded(Action load)
    {
        try
        {
            load();
        }
        catch (WeightsFileException e)
        {
            throw new CheckpointException(e.FilePath, $"does not fit the trial's network, optimizer or generator: {e.Problem}{(e.Field is null ? string.Empty : $" (at {e.Field})")}", e);
        }
        catch (FileNotFoundException e)
        {
            throw new CheckpointException(e.FileName ?? e.Message, "is missing: the checkpoint is incomplete", e);
        }
    }

    private static string? Readable(string full)
    {
        if (File.Exists(Path.Combine(full, InfoFile)))
        {
            return full;
        }

        // A crash between the two renames of a save leaves only the previous checkpoint, under its aside name.
        var previous = full + PreviousSuffix;
        return File.Exists(Path.Combine(previous, InfoFile)) ? previous : null;
    }

    private static void Swap(string staging, string full)
    {
        var previous = full + PreviousSuffix;
        if (Directory.Exists(full))
        {
            TryDelete(previous);
            Directory.Move(full, previous);
        }

        Directory.Move(staging, full);
        TryDelete(previous);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover staging or aside folder is harmless: the next save replaces it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
