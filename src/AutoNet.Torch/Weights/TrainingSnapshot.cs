using System.Runtime.InteropServices;
using AutoNet.Torch.Safetensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Torch.Weights;

/// <summary>
/// Everything libtorch holds that a resumed run needs to continue exactly as if never stopped, as three files in a
/// folder: the weights (<see cref="ModelFile"/>, safetensors), the optimizer state (<see cref="OptimizerFile"/>,
/// <see cref="OptimizerStateFile"/>) and the CPU generator's state (<see cref="RngFile"/>). Each file is written
/// atomically; making the folder as a whole atomic, and what else a checkpoint holds (epoch, schedule step,
/// history), is the trainer's. Load outside any dispose scope (see <see cref="OptimizerStateFile"/>).
/// </summary>
public static class TrainingSnapshot
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.bin";
    public const string RngFile = "rng.safetensors";

    /// <summary>The tensor name of the CPU generator's state in <see cref="RngFile"/>.</summary>
    public const string CpuGeneratorKey = "cpu_generator";

    public static void Save(string folder, nn.Module model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Directory.CreateDirectory(folder);
        ModuleWeights.Save(model, Path.Combine(folder, ModelFile));
        OptimizerStateFile.Save(optimizer, Path.Combine(folder, OptimizerFile));
        using var rng = torch.random.get_rng_state();
        SafetensorsFile.Write(Path.Combine(folder, RngFile), new Dictionary<string, Tensor> { [CpuGeneratorKey] = rng });
    }

    /// <summary>Restores weights, optimizer state and generator state into freshly built objects of the same shape.</summary>
    public static void Load(string folder, nn.Module model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ModuleWeights.Load(model, Path.Combine(folder, ModelFile));
        OptimizerStateFile.Load(optimizer, Path.Combine(folder, OptimizerFile));
        var rngPath = Path.Combine(folder, RngFile);
        using var content = SafetensorsFile.Read(rngPath);
        if (!content.Tensors.TryGetValue(CpuGeneratorKey, out var state) || state.dtype != ScalarType.Byte || state.dim() != 1)
        {
            throw new WeightsFileException(rngPath, CpuGeneratorKey, "is missing or not a 1-d uint8 generator state");
        }

        try
        {
            torch.random.set_rng_state(state);
        }
        catch (ExternalException e)
        {
            throw new WeightsFileException(rngPath, CpuGeneratorKey, $"is not a state of libtorch's CPU generator ({e.Message})", e);
        }
    }
}
