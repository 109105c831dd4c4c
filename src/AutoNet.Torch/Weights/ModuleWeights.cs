using System.Collections;
using AutoNet.Torch.Safetensors;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AutoNet.Torch.Weights;

/// <summary>
/// A module's weights in and out of files: safetensors (<c>.safetensors</c>, AutoNet's own format, read through the
/// guarded <see cref="SafetensorsFile"/>) and PyTorch state dicts (<c>.pth</c>, <c>.pt</c>, <c>.bin</c>: what
/// <c>torch.save(model.state_dict(), f)</c> writes, through TorchSharp.PyBridge). Loading checks every name and shape
/// before a weight is copied: TorchSharp's <c>load_state_dict</c> says only that the dictionaries differ, and its
/// <c>copy_</c> would broadcast a [1, n] tensor into an [m, n] weight without a word. Every error is a
/// <see cref="WeightsFileException"/> naming the file and the first key at fault.
/// </summary>
public static class ModuleWeights
{
    /// <summary>The file name extensions read and written as PyTorch state dicts (zip-format <c>torch.save</c>).</summary>
    public static IReadOnlyList<string> PyTorchExtensions { get; } = [".pth", ".pt", ".bin"];

    public static bool IsSafetensors(string path) => string.Equals(Path.GetExtension(path), ".safetensors", StringComparison.OrdinalIgnoreCase);

    public static bool IsPyTorch(string path) => PyTorchExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Writes the module's state dict to <paramref name="path"/>: safetensors (with <paramref name="metadata"/>) or a
    /// PyTorch state dict by extension; written beside the target and renamed over it when complete.
    /// </summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        if (IsSafetensors(path))
        {
            SafetensorsFile.Write(path, module.state_dict(), metadata);
            return;
        }

        CheckExtension(path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                module.save_py(stream, leaveOpen: true);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads every tensor of a safetensors file or PyTorch state dict (by extension); errors name the file.</summary>
    public static WeightsContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsSafetensors(path))
        {
            return SafetensorsFile.Read(path);
        }

        CheckExtension(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"weights file {path} does not exist", path);
        }

        Hashtable table;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WeightsFileException(path, null,
                $"is not a PyTorch state dict saved by torch.save(model.state_dict(), ...) in the zip format ({e.GetType().Name}: {e.Message})", e);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string name && entry.Value is Tensor tensor)
            {
                tensors[name] = tensor.DetachFromDisposeScope();
                continue;
            }

            foreach (var made in tensors.Values)
            {
                made.Dispose();
            }

            throw new WeightsFileException(path, entry.Key?.ToString(),
                $"holds a {entry.Value?.GetType().Name ?? "null"}, not a tensor: expected a state dict (name → tensor), not a whole pickled model");
        }

        return new WeightsContent(tensors, new Dictionary<string, string>());
    }

    /// <summary>Loads a weights file into <paramref name="module"/> after checking every name and shape against it.</summary>
    public static void Load(nn.Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var content = Read(path);
        Load(module, content.Tensors, path, strict);
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> (e.g. read and renamed by the caller) into <paramref name="module"/>'s
    /// parameters and buffers; <paramref name="source"/> names where they came from in errors. Strict: every tensor
    /// of the module must be given and nothing else. Not strict: names the module lacks are ignored, but a name both
    /// have must agree in shape.
    /// </summary>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(source);
        var destination = module.state_dict();
        var missing = new List<string>();
        foreach (var (name, target) in destination)
        {
            if (!tensors.TryGetValue(name, out var given))
            {
                missing.Add(name);
                continue;
            }

            if (!given.shape.SequenceEqual(target.shape))
            {
                throw new WeightsFileException(source, name,
                    $"has shape {Describe(given.shape)} but the network's is {Describe(target.shape)} (weights of another architecture or size?)");
            }

            if ((given.dtype == ScalarType.Bool) != (target.dtype == ScalarType.Bool) || given.is_floating_point() != target.is_floating_point())
            {
                throw new WeightsFileException(source, name, $"is {given.dtype} but the network's is {target.dtype}");
            }
        }

        var unexpected = tensors.Keys.Where(k => !destination.ContainsKey(k)).ToList();
        if (strict && missing.Count > 0)
        {
            throw new WeightsFileException(source, missing[0],
                $"is missing: the network needs it{More(missing.Count)} (file for another architecture, or saved with a prefix such as 'module.'?)");
        }

        if (strict && unexpected.Count > 0)
        {
            throw new WeightsFileException(source, unexpected[0], $"is not a tensor of this network{More(unexpected.Count)}");
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, target) in destination)
        {
            if (tensors.TryGetValue(name, out var given))
            {
                target.copy_(given);
            }
        }
    }

    private static void CheckExtension(string path)
    {
        if (!IsPyTorch(path))
        {
            throw new WeightsFileException(path, null,
                $"has extension '{Path.GetExtension(path)}'; expected .safetensors or a PyTorch state dict ({string.Join(", ", PyTorchExtensions)})");
        }
    }

    private static string Describe(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static string More(int count) => count > 1 ? $"; {count - 1} more like it" : string.Empty;
}
