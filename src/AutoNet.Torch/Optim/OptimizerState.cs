using System.Globalization;
using AutoNet.Torch.Safetensors;

namespace AutoNet.Torch.Optim;

/// <summary>
/// An optimizer's resumable state: named tensors (momentum buffers, moment estimates) and named scalars (step
/// counts, group learning rates). Names are <c>state.{group}.{index}.{buffer}</c> and <c>group.{group}.{field}</c>.
/// The tensors are copies the caller owns (dispose them). <see cref="Save"/> / <see cref="Load"/> keep it in a
/// safetensors file, the scalars as round-trip strings in its metadata.
/// </summary>
public sealed record OptimizerState(Dictionary<string, Tensor> Tensors, Dictionary<string, double> Scalars) : IDisposable
{
    private const string ScalarPrefix = "optim.scalar.";

    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in Scalars)
        {
            all[ScalarPrefix + name] = value.ToString("R", CultureInfo.InvariantCulture);
        }

        SafetensorsFile.Write(path, Tensors, all);
    }

    public static OptimizerState Load(string path)
    {
        var content = SafetensorsFile.Read(path);
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, text) in content.Metadata)
        {
            if (!key.StartsWith(ScalarPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                content.Dispose();
                throw new SafetensorsFormatException(path, $"__metadata__.{key}", $"\"{text}\" is not a number");
            }

            scalars[key[ScalarPrefix.Length..]] = value;
        }

        return new OptimizerState(new Dictionary<string, Tensor>(content.Tensors, StringComparer.Ordinal), scalars);
    }

    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
