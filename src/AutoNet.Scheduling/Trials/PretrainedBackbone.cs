using AutoNet.Models.Backbones;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Trials;

/// <summary>
/// Which of AutoNet's torchvision backbones a pretrained weights file is for, told by its tensor names and shapes
/// alone: the user hands over a file (a <c>.pth</c> from <c>torch.save(model.state_dict())</c>, or safetensors), not
/// its architecture. The classifier is ignored (a fine-tuned file may have any number of classes) and so is the stem's
/// input channel count (a grayscale data set adapts the RGB stem).
/// </summary>
public static class PretrainedBackbone
{
    /// <summary>
    /// The backbone name (resnet18, resnet34, resnet50, mobilenet_v2 or efficientnet_b0) whose every tensor the file
    /// holds with the right shape, and nothing else. A file matching none is a <see cref="WeightsFileException"/>
    /// naming the file and the first key or shape that does not fit the closest backbone; an unreadable or damaged
    /// file is one naming the file.
    /// </summary>
    public static string Identify(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        using var content = ModuleWeights.Read(full);
        var tensors = content.Tensors;
        if (tensors.Count == 0)
        {
            throw new WeightsFileException(full, null, "holds no tensors; expected a torchvision state dict");
        }

        Candidate? closest = null;
        foreach (var name in BackboneFactory.Names)
        {
            var candidate = Compare(name, tensors);
            if (candidate.Problem is null)
            {
                return name;
            }

            if (closest is null || candidate.Matched > closest.Matched)
            {
                closest = candidate;
            }
        }

        var supported = string.Join(", ", BackboneFactory.Names);
        if (closest!.Matched == 0)
        {
            throw new WeightsFileException(full, tensors.Keys.Order(StringComparer.Ordinal).First(),
                $"is not a tensor of any backbone AutoNet knows: expected a torchvision state dict of one of {supported}");
        }

        throw new WeightsFileException(full, closest.Problem!.Value.Key,
            $"{closest.Problem.Value.Description}: the file is closest to torchvision's {closest.Name} ({closest.Matched} of {closest.Expected} tensors fit) " +
            $"but is not one; expected a torchvision state dict of one of {supported}");
    }

    private static Candidate Compare(string name, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var scope = torch.NewDisposeScope();
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 0 });
        var own = model.state_dict();
        var head = model.ClassifierPrefix + ".";
        (string Key, string Description)? problem = null;
        var matched = 0;
        foreach (var (key, target) in own)
        {
            if (!tensors.TryGetValue(key, out var given))
            {
                // Older checkpoints lack BatchNorm's counters; they are not weights.
                if (!key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                {
                    problem ??= (key, $"is missing ({name} needs it)");
                }

                continue;
            }

            var stemOfOtherChannels = key == model.StemConvWeightKey && given.dim() == 4 && given.shape[0] == target.shape[0]
                && given.shape[2] == target.shape[2] && given.shape[3] == target.shape[3];
            if (!given.shape.SequenceEqual(target.shape) && !stemOfOtherChannels)
            {
                problem ??= (key, $"has shape {Shape(given.shape)} where {name} has {Shape(target.shape)}");
                continue;
            }

            matched++;
        }

        var unexpected = tensors.Keys.Where(k => !own.ContainsKey(k) && !k.StartsWith(head, StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (unexpected is not null)
        {
            problem ??= (unexpected, $"is not a tensor of {name}");
        }

        return new Candidate(name, matched, own.Count, problem);
    }

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";

    private sealed record Candidate(string Name, int Matched, int Expected, (string Key, string Description)? Problem);
}
