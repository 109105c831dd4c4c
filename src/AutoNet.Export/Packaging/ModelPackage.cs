using AutoNet.Export.Onnx;
using AutoNet.Models;
using AutoNet.Models.Transfer;
using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Export.Packaging;

/// <summary>
/// A model package folder: model.json (<see cref="ModelPackageDescription"/>: architecture, input, class names, card),
/// weights.safetensors (the module's state dict), a model card README.md and, as asked, a standalone PyTorch model.py
/// and model.onnx. <see cref="Write"/> builds the folder beside its destination and renames it into place, so a
/// package is either complete or absent; <see cref="Load"/> rebuilds the module and loads its weights.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    public const string DescriptionFile = "model.json";
    public const string WeightsFile = "weights.safetensors";
    public const string CardFile = "README.md";
    public const string PyTorchFile = "model.py";
    public const string OnnxFile = "model.onnx";

    private nn.Module<Tensor, Tensor>? model;

    private ModelPackage(string directory, ModelPackageDescription description, nn.Module<Tensor, Tensor> model)
    {
        Directory = directory;
        Description = description;
        this.model = model;
    }

    /// <summary>The version written into packages: AutoNet.Export's informational version.</summary>
    public static string AutoNetVersion { get; } =
        System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(ModelPackage).Assembly)?.InformationalVersion ?? "unknown";

    public string Directory { get; }

    public ModelPackageDescription Description { get; }

    /// <summary>The rebuilt network with its weights, in eval mode, on the device <see cref="Load"/> was given.</summary>
    public nn.Module<Tensor, Tensor> Model => model ?? throw new InvalidOperationException($"the model of {Directory} was handed to a transfer network");

    public ModelArchitecture Architecture => Description.Architecture;

    public OnnxPreprocessing Preprocessing => Description.Preprocessing;

    public IReadOnlyList<string> ClassNames => Description.ClassNames;

    /// <summary>Reads model.json alone (no weights, nothing built), e.g. to show what a package holds.</summary>
    public static ModelPackageDescription ReadDescription(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new ModelPackageException($"{full}: no such model package folder");
        }

        var path = Path.Combine(full, DescriptionFile);
        if (!File.Exists(path))
        {
            throw new ModelPackageException($"{path} is missing: {full} is not an AutoNet model package");
        }

        return ModelPackageJson.Read(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Rebuilds the package's network from model.json and loads weights.safetensors into it (every key, with the
    /// model's shapes, nothing else), in eval mode, then moves it to <paramref name="device"/> (default: the CPU).
    /// Errors name the file and the field or key.
    /// </summary>
    public static ModelPackage Load(string directory, Device? device = null)
    {
        var description = ReadDescription(directory);
        var full = Path.GetFullPath(directory);
        var weightsPath = Path.Combine(full, WeightsFile);
        if (!File.Exists(weightsPath))
        {
            throw new ModelPackageException($"{weightsPath} is missing: the package was exported without weights (ONNX only?) and cannot be loaded");
        }

        nn.Module<Tensor, Tensor> built;
        try
        {
            built = description.Architecture.Build();
        }
        catch (ArgumentException e)
        {
            throw new ModelPackageException($"{Path.Combine(full, DescriptionFile)}: $.architecture does not build: {e.Message}", e);
        }

        try
        {
            LoadWeights(built, weightsPath);
            built.eval();
            if (device is { } target && target.type != DeviceType.CPU)
            {
                built.to(target);
            }

            return new ModelPackage(full, description, built);
        }
        catch
        {
            built.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a package and puts a fresh <paramref name="numClasses"/>-class head on its features
    /// (<see cref="FeatureExtractor.From"/> of the package's model): the start of a transfer to a new data set. The
    /// returned network is in training mode, in its fine-tuning phase; feed it inputs as
    /// <see cref="ModelPackageDescription.Preprocessing"/> of the package says (same channels and resolution).
    /// </summary>
    /// <param name="directory">the package folder</param>
    /// <param name="numClasses">classes of the new data set</param>
    /// <param name="head">the new head; default a linear one without dropout</param>
    /// <param name="freezeFraction">fraction of the package model's stages, input side first, frozen while fine-tuning</param>
    /// <param name="device">where to load the model (default: the CPU)</param>
    public static (TransferNetwork Network, ModelPackageDescription Source) LoadAsBackbone(string directory, long numClasses, TransferHead? head = null,
        double freezeFraction = 0.0, Device? device = null)
    {
        using var package = Load(directory, device);
        var network = package.ToTransferNetwork(numClasses, head, freezeFraction);
        return (network, package.Description);
    }

    /// <summary>
    /// Wraps <see cref="Model"/> in a <see cref="TransferNetwork"/> with a new head (default: linear), which owns the
    /// model from then on (this package no longer does).
    /// </summary>
    public TransferNetwork ToTransferNetwork(long numClasses, TransferHead? head = null, double freezeFraction = 0.0)
    {
        var device = Model.parameters().Select(p => p.device).FirstOrDefault();
        var network = new TransferNetwork(FeatureExtractor.From(Model), head ?? TransferHead.Linear(), numClasses, freezeFraction);
        model = null;
        if (device is { } target && target.type != DeviceType.CPU)
        {
            network.to(target);
        }

        network.train();
        return network;
    }

    /// <summary>
    /// Writes <paramref name="model"/> (a CellNetwork, MacroCnnNetwork, Backbone or TransferNetwork) as a package at
    /// <paramref name="directory"/>, which must not exist or be empty. Everything is written into a temporary sibling
    /// folder first and renamed into place at the end; on any failure the temporary folder is removed.
    /// </summary>
    public static ModelPackageDescription Write(string directory, nn.Module<Tensor, Tensor> model, ModelPackageOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (File.Exists(full))
        {
            throw new ModelPackageException($"{full} is a file; the export destination must be a new (or empty) folder");
        }

        if (System.IO.Directory.Exists(full) && System.IO.Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new ModelPackageException($"{full} already exists and is not empty; choose a new folder for the export (nothing was written)");
        }

        var description = Describe(model, options);
        var parent = Path.GetDirectoryName(full) ?? throw new ModelPackageException($"{full}: cannot export to a file system root");
        System.IO.Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            WriteFiles(temp, model, description, options);
            if (System.IO.Directory.Exists(full))
            {
                // Checked empty above; a folder created meanwhile with content makes Delete throw rather than lose it.
                System.IO.Directory.Delete(full, recursive: false);
            }

            System.IO.Directory.Move(temp, full);
        }
        catch
        {
            if (System.IO.Directory.Exists(temp))
            {
                System.IO.Directory.Delete(temp, recursive: true);
            }

            throw;
        }

        return description;
    }

    private static ModelPackageDescription Describe(nn.Module<Tensor, Tensor> model, ModelPackageOptions options)
    {
        var architecture = ModelArchitecture.Describe(model);
        var pre = options.Preprocessing ?? throw new ArgumentException("options: Preprocessing is required", nameof(options));
        pre.Validate();
        if (pre.Channels != architecture.InputChannels)
        {
            throw new ArgumentException($"options: the preprocessing gives {pre.Channels}-channel ({pre.ChannelOrder}) input, the model takes {architecture.InputChannels} channels", nameof(options));
        }

        if (options.ClassNames is null || options.ClassNames.Count != architecture.NumClasses || options.ClassNames.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException(
                $"options: ClassNames must list {architecture.NumClasses} non-empty names, one per output of the model; got {options.ClassNames?.Count ?? 0}", nameof(options));
        }

        if ((options.Formats & ModelExportFormats.All) == 0 || (options.Formats & ~ModelExportFormats.All) != 0)
        {
            throw new ArgumentException($"options: Formats is {options.Formats}; choose Safetensors, PyTorch, Onnx or a combination", nameof(options));
        }

        return new ModelPackageDescription(architecture, pre, options.ClassNames.ToArray(), options.Card, AutoNetVersion, DateTimeOffset.UtcNow);
    }

    private static void WriteFiles(string folder, nn.Module<Tensor, Tensor> model, ModelPackageDescription description, ModelPackageOptions options)
    {
        var json = ModelPackageJson.ToJsonString(description);
        File.WriteAllText(Path.Combine(folder, DescriptionFile), json);
        if ((options.Formats & (ModelExportFormats.Safetensors | ModelExportFormats.PyTorch)) != 0)
        {
            // PyTorch's order (module by module), as torch's own state_dict() lists the keys.
            SafetensorsFile.Write(Path.Combine(folder, WeightsFile), StateDicts.Ordered(model).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                new Dictionary<string, string> { ["format"] = "pt" });
        }

        if (options.Formats.HasFlag(ModelExportFormats.PyTorch))
        {
            File.WriteAllText(Path.Combine(folder, PyTorchFile), PyTorchSourceGenerator.Generate(json));
        }

        if (options.Formats.HasFlag(ModelExportFormats.Onnx))
        {
            var onnxOptions = new OnnxExportOptions
            {
                Preprocessing = description.Preprocessing,
                ClassNames = description.ClassNames,
                Opset = options.OnnxOpset,
                ProducerVersion = AutoNetVersion,
                Metadata = new Dictionary<string, string> { ["autonet_architecture"] = description.Architecture.ToJson().ToJsonString() },
            };
            new OnnxModuleExporter().Export(model, onnxOptions, Path.Combine(folder, OnnxFile));
        }

        File.WriteAllText(Path.Combine(folder, CardFile), ModelCardWriter.Render(description, options.Formats));
    }

    // Every key with the architecture's shape and nothing else (ModuleWeights checks before copying), or an error naming the file and key.
    private static void LoadWeights(nn.Module model, string path)
    {
        try
        {
            ModuleWeights.Load(model, path);
        }
        catch (WeightsFileException e)
        {
            throw new ModelPackageException($"the weights do not fit the architecture in {DescriptionFile}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ModelPackageException($"{path}: cannot read the weights: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        model?.Dispose();
        model = null;
    }
}
