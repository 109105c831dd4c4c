using System.Text.Json;
using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;
using AutoNet.Torch.Optim.Schedules;
using AutoNet.Torch.Safetensors;

namespace AutoNet.Training;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// A trial's checkpoint: one folder with the weights (<c>model.safetensors</c>), the optimizer state
/// (<c>optimizer.safetensors</c>), libtorch's CPU generator state (<c>rng.safetensors</c>) and <c>checkpoint.json</c>
/// (epoch, schedule step, history). A save is written beside the folder and swapped in by renames, so a crash
/// mid-save leaves the previous checkpoint readable, never a mix of two.
/// </summary>
public static class TrainingCheckpoint
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string RngFile = "rng.safetensors";
    public const string InfoFile = "checkpoint.json";

    private const string RngKey = "cpu_generator";
    private const string PreviousSuffix = ".previous";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Whether <paramref name="directory"/> (or the copy a crash left behind) holds a complete checkpoint.</summary>
    public static bool Exists(string directory) => Readable(directory) is not null;

    public static void Save(string directory, Module model, Optimizer optimizer, LRScheduler scheduler, CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(info);
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"checkpoint folder '{full}' has no parent", nameof(directory));
        Directory.CreateDirectory(parent);
        var staging = $"{full}.saving-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            SafetensorsFile.Write(Path.Combine(staging, ModelFile), model.StateDict());
            using (var state = optimizer.StateDict())
            {
                state.Save(Path.Combine(staging, OptimizerFile));
            }

            using (var rng = Torch.GetRngState())
            {
                SafetensorsFile.Write(Path.Combine(staging, RngFile), new Dictionary<string, Tensor> { [RngKey] = rng });
            }

            var written = info with { Format = CheckpointInfo.CurrentFormat, ScheduleStep = scheduler.StepCount };
            File.WriteAllText(Path.Combine(staging, InfoFile), JsonSerializer.Serialize(written, Json));
            Swap(staging, full);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// Restores weights, optimizer, schedule and generator state into freshly built objects of the same shape, and
    /// returns the info; errors name the checkpoint folder and what is wrong.
    /// </summary>
    public static CheckpointInfo Load(string directory, Module model, Optimizer optimizer, LRScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(scheduler);
        var (source, info) = ReadInfo(directory);
        LoadModel(Path.Combine(source, ModelFile), model);
        var optimizerPath = Path.Combine(source, OptimizerFile);
        using (var state = ReadFile(optimizerPath, OptimizerState.Load))
        {
            Fit(optimizerPath, "the trial's optimizer", () => optimizer.LoadStateDict(state));
        }

        scheduler.LoadStateDict(new Dictionary<string, double> { ["step"] = info.ScheduleStep });
        var rngPath = Path.Combine(source, RngFile);
        using (var rng = ReadFile(rngPath, SafetensorsFile.Read))
        {
            if (!rng.Tensors.TryGetValue(RngKey, out var generator))
            {
                throw new CheckpointException(rngPath, $"has no '{RngKey}' tensor");
            }

            Fit(rngPath, "libtorch's generator state", () => Torch.SetRngState(generator));
        }

        return info;
    }

    /// <summary>
    /// Loads only the weights of the checkpoint in <paramref name="directory"/> into a freshly built model of the same
    /// shape (export and evaluation need no optimizer), and returns its info.
    /// </summary>
    public static CheckpointInfo LoadWeights(string directory, Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (source, info) = ReadInfo(directory);
        LoadModel(Path.Combine(source, ModelFile), model);
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

    /// <summary>Loads the weights file into the model; a damaged file or weights of another network name the file.</summary>
    private static void LoadModel(string path, Module model)
    {
        using var weights = ReadFile(path, SafetensorsFile.Read);
        Fit(path, "the trial's network", () => model.LoadStateDict(weights.Tensors));
    }

    private static T ReadFile<T>(string path, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointException(path, $"is damaged: {e.Problem}{(e.Field is null ? string.Empty : $" (at {e.Field})")}", e);
        }
    }

    private static void Fit(string path, string what, Action load)
    {
        try
        {
            load();
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CheckpointException(path, $"does not fit {what}: {e.Message}", e);
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
