using AutoNet.Torch.Modules;
using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// A torchvision image classification network rebuilt in C# with torchvision's module tree, so its
/// state-dict keys, order and shapes are torchvision's and a torchvision state dict saved as
/// a .pth file (<c>torch.save(model.state_dict())</c>) or as safetensors loads as is (<see cref="LoadWeights(string, HeadWeights)"/>).
/// <para>
/// Beyond torchvision: any number of input channels (<see cref="BackboneOptions.InChannels"/>), a feature-extractor
/// mode (<see cref="ForwardFeatures"/>, <see cref="ForwardFeatureMap"/>, and <see cref="BackboneOptions.NumClasses"/> 0
/// for no classifier at all), and freezing by stages from the input side (<see cref="FreezeStages"/>).
/// </para>
/// </summary>
public abstract class Backbone : nn.Module<Tensor, Tensor>
{
    private const int ListedKeys = 8;

    private protected Backbone(string architecture, BackboneOptions options, long featureDim)
        : base(architecture)
    {
        Architecture = architecture;
        NumClasses = options.NumClasses;
        InChannels = options.InChannels;
        FeatureDim = featureDim;
    }

    /// <summary>The registry name: resnet18, resnet34, resnet50, mobilenet_v2 or efficientnet_b0.</summary>
    public string Architecture { get; }

    /// <summary>Outputs of <see cref="Forward"/>; 0 when the model is a feature extractor without classifier.</summary>
    public long NumClasses { get; }

    public long InChannels { get; }

    /// <summary>Channels of the last feature map, i.e. the length of <see cref="ForwardFeatures"/>' vectors and the classifier's input.</summary>
    public long FeatureDim { get; }

    /// <summary>The state-dict key of the stem convolution's weight, the one adapted when input channels differ from a file's.</summary>
    public abstract string StemConvWeightKey { get; }

    /// <summary>The state-dict prefix of the classifier, torchvision's "fc" (ResNet) or "classifier" (MobileNetV2, EfficientNet).</summary>
    public abstract string ClassifierPrefix { get; }

    /// <summary>The freezable stages from input to output; the classifier is in none of them.</summary>
    public abstract IReadOnlyList<BackboneStage> Stages { get; }

    /// <summary>How many stages, from the input side, are frozen now.</summary>
    public int FrozenStageCount { get; private set; }

    /// <summary>The classifier (null for a feature extractor).</summary>
    protected abstract nn.Module<Tensor, Tensor>? Classifier { get; }

    /// <summary>The last feature map, [N, <see cref="FeatureDim"/>, H', W'], before pooling.</summary>
    public Tensor ForwardFeatureMap(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return FeatureMap(input).MoveToOuterDisposeScope();
    }

    /// <summary>Globally average-pooled features, [N, <see cref="FeatureDim"/>]: what the classifier sees (before its dropout).</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return Features(input).MoveToOuterDisposeScope();
    }

    /// <summary>Logits [N, <see cref="NumClasses"/>], or the pooled features when there is no classifier.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var features = Features(input);
        return (Classifier is null ? features : Classifier.forward(features)).MoveToOuterDisposeScope();
    }

    /// <summary>The feature map, run inside the caller's dispose scope.</summary>
    protected abstract Tensor FeatureMap(Tensor input);

    private protected T Register<T>(string name, T module)
        where T : nn.Module
    {
        register_module(name, module);
        return module;
    }

    private Tensor Features(Tensor input) => nn.functional.adaptive_avg_pool2d(FeatureMap(input), 1).flatten(1);

    // ---- freezing ------------------------------------------------------------------------------

    /// <summary>
    /// Freezes the first <paramref name="count"/> stages and unfreezes the rest: frozen parameters stop requiring
    /// gradients (their gradients are cleared, so an optimizer skips them), frozen BatchNorms normalise with their
    /// running statistics and stop updating them even in training mode, and frozen EfficientNet blocks skip
    /// stochastic depth; frozen stages therefore compute exactly what they compute in eval mode. The classifier
    /// always stays trainable.
    /// </summary>
    public void FreezeStages(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Stages.Count);
        var stages = Stages;
        foreach (var (name, module) in named_modules())
        {
            var index = -1;
            for (var i = 0; i < stages.Count && index < 0; i++)
            {
                if (stages[i].Contains(name))
                {
                    index = i;
                }
            }

            if (index < 0)
            {
                continue;
            }

            var frozen = index < count;
            foreach (var parameter in module.parameters(recurse: false))
            {
                if (frozen)
                {
                    parameter.grad = null;
                }

                parameter.requires_grad = !frozen;
            }

            switch (module)
            {
                case FreezableBatchNorm2d norm:
                    norm.Frozen = frozen;
                    break;
                case MBConv block:
                    block.Frozen = frozen;
                    break;
            }
        }

        FrozenStageCount = count;
    }

    /// <summary>Freezes everything but the last <paramref name="trainableStages"/> stages (and the classifier).</summary>
    public void FreezeAllButLast(int trainableStages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainableStages);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainableStages, Stages.Count);
        FreezeStages(Stages.Count - trainableStages);
    }

    /// <summary>Freezes the first round(<paramref name="fraction"/> × stage count) stages (halves round up): 0 freezes nothing, 1 the whole backbone but the classifier.</summary>
    public void FreezeFraction(double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the frozen fraction of the backbone must be in [0, 1]");
        }

        FreezeStages((int)Math.Round(fraction * Stages.Count, MidpointRounding.AwayFromZero));
    }

    /// <summary>Makes every stage trainable again (fine-tuning after training the head).</summary>
    public void Unfreeze() => FreezeStages(0);

    /// <summary>
    /// The parameters that require gradients now. Optimizers accept only these, so build the optimizer after
    /// freezing, and build a new one (or add a parameter group, e.g. at a lower learning rate) after unfreezing.
    /// </summary>
    public IEnumerable<Parameter> TrainableParameters() => parameters().Where(p => p.requires_grad);

    /// <summary>The classifier's parameters (none for a feature extractor), for a learning rate of their own.</summary>
    public IEnumerable<Parameter> ClassifierParameters() => Classifier?.parameters() ?? [];

    // ---- weights -------------------------------------------------------------------------------

    /// <summary>
    /// Loads a safetensors file with torchvision key names (for example torchvision's <c>state_dict()</c> written with
    /// safetensors). Every backbone key must be there with the model's shape, and no other key may be, or nothing is
    /// loaded and an <see cref="InvalidDataException"/> names the file and the keys. Tolerated: missing BatchNorm
    /// <c>num_batches_tracked</c> counters (older checkpoints lack them; they stay as they are), half-precision data
    /// (converted), a 3-channel stem for a model with other input channels (adapted by timm's rule: see
    /// <see cref="AdaptStemWeight"/>), and the classifier as <paramref name="head"/> says.
    /// </summary>
    public BackboneWeightsReport LoadWeights(string path, HeadWeights head = HeadWeights.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var scope = torch.NewDisposeScope();
        return LoadWeights(ReadStateDict(path), head, path);
    }

    /// <summary>As <see cref="LoadWeights(string, HeadWeights)"/>, from tensors in memory; <paramref name="source"/> names them in errors.</summary>
    public BackboneWeightsReport LoadWeights(IReadOnlyDictionary<string, Tensor> weights, HeadWeights head = HeadWeights.Auto, string source = "the state dict")
    {
        ArgumentNullException.ThrowIfNull(weights);
        var own = state_dict();
        var headPrefix = ClassifierPrefix + ".";
        bool IsHead(string key) => key.StartsWith(headPrefix, StringComparison.Ordinal);

        var missing = new List<string>();
        var unexpected = new List<string>();
        var mismatched = new List<string>();
        var loaded = new List<string>();
        var adapted = new List<string>();
        var skipped = new List<string>();
        var kept = new List<string>();

        foreach (var (key, target) in own)
        {
            if (IsHead(key))
            {
                continue;
            }

            if (!weights.TryGetValue(key, out var value))
            {
                if (key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                {
                    kept.Add(key);
                }
                else
                {
                    missing.Add(key);
                }
            }
            else if (!value.shape.SequenceEqual(target.shape))
            {
                if (key == StemConvWeightKey && CanAdaptStem(value.shape, target.shape))
                {
                    adapted.Add(key);
                }
                else
                {
                    mismatched.Add(SizeMismatch(key, value, target));
                }
            }
            else if (value.is_floating_point() != target.is_floating_point())
            {
                mismatched.Add($"dtype mismatch for \"{key}\": the file has {value.dtype}, the model {target.dtype}");
            }
            else
            {
                loaded.Add(key);
            }
        }

        unexpected.AddRange(weights.Keys.Where(k => !IsHead(k) && !own.ContainsKey(k)).Order(StringComparer.Ordinal));

        var ownHead = own.Keys.Where(IsHead).ToList();
        var fileHead = weights.Keys.Where(IsHead).Order(StringComparer.Ordinal).ToList();
        var headMatches = ownHead.Count > 0 && fileHead.Count == ownHead.Count &&
            ownHead.All(k => weights.TryGetValue(k, out var t) && t.shape.SequenceEqual(own[k].shape));
        switch (head)
        {
            case HeadWeights.Load:
                if (ownHead.Count == 0)
                {
                    mismatched.Add($"the model has no classifier to load \"{ClassifierPrefix}\" into (it was built with 0 classes)");
                    break;
                }

                foreach (var key in ownHead)
                {
                    if (!weights.TryGetValue(key, out var t))
                    {
                        missing.Add(key);
                    }
                    else if (!t.shape.SequenceEqual(own[key].shape))
                    {
                        mismatched.Add(SizeMismatch(key, t, own[key]) + $" (the model has {NumClasses} classes)");
                    }
                    else
                    {
                        loaded.Add(key);
                    }
                }

                unexpected.AddRange(fileHead.Where(k => !own.ContainsKey(k)));
                break;
            case HeadWeights.Auto when headMatches:
                loaded.AddRange(ownHead);
                break;
            case HeadWeights.Auto or HeadWeights.Skip:
                skipped.AddRange(fileHead);
                kept.AddRange(ownHead);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(head), head, "unknown head policy");
        }

        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var problems = new List<string>();
            Describe(problems, "missing key", missing.Select(k => $"\"{k}\""));
            Describe(problems, "unexpected key", unexpected.Select(k => $"\"{k}\""));
            problems.AddRange(mismatched.Take(ListedKeys));
            if (mismatched.Count > ListedKeys)
            {
                problems.Add($"{mismatched.Count - ListedKeys} more mismatches");
            }

            throw new InvalidDataException(
                $"{source}: cannot load into {Architecture} ({InChannels} input channels, {NumClasses} classes); torchvision's {Architecture} " +
                $"key names and shapes are expected: {string.Join("; ", problems)}. Nothing was loaded.");
        }

        using (torch.no_grad())
        {
            foreach (var key in loaded)
            {
                own[key].copy_(weights[key]);
            }

            foreach (var key in adapted)
            {
                using var weight = AdaptStemWeight(weights[key], InChannels);
                own[key].copy_(weight);
            }
        }

        return new BackboneWeightsReport(source, loaded, adapted, skipped, kept);
    }

    /// <summary>
    /// Reads a state dict from <paramref name="path"/>: a PyTorch file (<c>torch.save</c>, a zip archive) or safetensors.
    /// The tensors join the caller's dispose scope.
    /// </summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such weights file", path);
        }

        var magic = new byte[4];
        using (var stream = File.OpenRead(path))
        {
            stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        }

        try
        {
            if (magic[0] == (byte)'P' && magic[1] == (byte)'K')
            {
                var table = PyTorchUnpickler.UnpickleStateDict(path);
                var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in table)
                {
                    if (entry.Key is string key && entry.Value is Tensor tensor)
                    {
                        result[key] = tensor;
                    }
                }

                return result;
            }

            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or FileNotFoundException))
        {
            throw new InvalidDataException($"{path}: not a readable PyTorch (.pth) or safetensors state dict ({e.Message})", e);
        }
    }

    private static void Describe(List<string> problems, string what, IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var shown = string.Join(", ", list.Take(ListedKeys));
        problems.Add(list.Count == 1 ? $"{what} {shown}" :
            $"{list.Count} {what}s: {shown}{(list.Count > ListedKeys ? $" and {list.Count - ListedKeys} more" : string.Empty)}");
    }

    private static string SizeMismatch(string key, Tensor file, Tensor model) =>
        $"size mismatch for \"{key}\": the file has [{string.Join(", ", file.shape)}], the model [{string.Join(", ", model.shape)}]";

    private static bool CanAdaptStem(long[] file, long[] model) =>
        file.Length == 4 && model.Length == 4 && file[1] == 3 && file[0] == model[0] && file[2] == model[2] && file[3] == model[3];

    /// <summary>
    /// timm's <c>adapt_input_conv</c> rule for an RGB stem weight [O, 3, kh, kw] on <paramref name="inChannels"/> inputs:
    /// 1 channel sums the three filters (a gray image then gives what the RGB network gives on that image repeated
    /// in R, G and B); n channels repeat R, G, B cyclically to n and scale by 3 / n (keeping the activation scale).
    /// </summary>
    public static Tensor AdaptStemWeight(Tensor rgbWeight, long inChannels)
    {
        ArgumentNullException.ThrowIfNull(rgbWeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        if (rgbWeight.dim() != 4 || rgbWeight.size(1) != 3)
        {
            throw new ArgumentException($"an RGB stem weight [out, 3, kh, kw] is expected, got [{string.Join(", ", rgbWeight.shape)}]", nameof(rgbWeight));
        }

        using var scope = torch.NewDisposeScope();
        var weight = rgbWeight.to(ScalarType.Float32);
        Tensor result;
        if (inChannels == 1)
        {
            result = weight.sum(1, keepdim: true);
        }
        else
        {
            var repeats = (inChannels + 2) / 3;
            using var share = (3.0 / inChannels).ToScalar();
            result = weight.repeat(1, repeats, 1, 1).slice(1, 0, inChannels, 1).mul(share);
        }

        return result.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision's initialisation, shared by every backbone: Kaiming-normal (fan-out) convolutions with zero biases,
    /// unit-weight zero-bias batch norms, and the architecture's own rule for linear layers (null keeps PyTorch's
    /// default, as torchvision's ResNet does).
    /// </summary>
    private protected void InitialiseLikeTorchvision(nn.init.NonlinearityType convNonlinearity, Action<Linear>? initialiseLinear)
    {
        // torchvision draws in self.modules() order, a depth-first pre-order. TorchSharp's modules() lists a module's
        // children before any grandchild, which draws a block's direct Conv2d (MobileNetV2's projection conv.1)
        // before the conv nested in its sibling conv.0, so under the same seed every later draw would differ.
        foreach (var module in DepthFirst(this))
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: convNonlinearity);
                    if (conv.bias is not null)
                    {
                        nn.init.zeros_(conv.bias);
                    }

                    break;
                case FreezableBatchNorm2d norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
                case Linear linear when initialiseLinear is not null:
                    initialiseLinear(linear);
                    break;
            }
        }
    }

    private static IEnumerable<nn.Module> DepthFirst(nn.Module module)
    {
        yield return module;
        foreach (var (_, child) in module.named_children())
        {
            foreach (var descendant in DepthFirst(child))
            {
                yield return descendant;
            }
        }
    }

    private protected static void CheckNoDropout(string architecture, BackboneOptions options)
    {
        if (options.Dropout is { } p && p != 0)
        {
            throw new ArgumentException($"{architecture} has no classifier dropout in torchvision; leave Dropout unset (got {p})", nameof(options));
        }

        if (options.StochasticDepthProb is { } s && s != 0)
        {
            throw new ArgumentException($"{architecture} has no stochastic depth in torchvision; leave StochasticDepthProb unset (got {s})", nameof(options));
        }
    }
}
