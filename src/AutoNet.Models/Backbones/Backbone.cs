using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Safetensors;

namespace AutoNet.Models.Backbones;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// A torchvision image classification network rebuilt in C# with torchvision's module tree, so its
/// <see cref="Module.StateDict"/> keys, order and shapes are torchvision's and a torchvision state dict saved as
/// safetensors loads as is (<see cref="LoadWeights(string, HeadWeights)"/>).
/// <para>
/// Beyond torchvision: any number of input channels (<see cref="BackboneOptions.InChannels"/>), a feature-extractor
/// mode (<see cref="ForwardFeatures"/>, <see cref="ForwardFeatureMap"/>, and <see cref="BackboneOptions.NumClasses"/> 0
/// for no classifier at all), and freezing by stages from the input side (<see cref="FreezeStages"/>).
/// </para>
/// </summary>
public abstract class Backbone : Module
{
    private const int ListedKeys = 8;

    private protected Backbone(string architecture, BackboneOptions options, long featureDim)
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
    protected abstract Module? Classifier { get; }

    /// <summary>The last feature map, [N, <see cref="FeatureDim"/>, H', W'], before pooling.</summary>
    public abstract Tensor ForwardFeatureMap(Tensor input);

    /// <summary>Globally average-pooled features, [N, <see cref="FeatureDim"/>]: what the classifier sees (before its dropout).</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        using var map = ForwardFeatureMap(input);
        using var pooled = Functional.AdaptiveAvgPool2d(map, (1, 1));
        return pooled.Flatten(1);
    }

    /// <summary>Logits [N, <see cref="NumClasses"/>], or the pooled features when there is no classifier.</summary>
    public override Tensor Forward(Tensor input)
    {
        var features = ForwardFeatures(input);
        return Classifier is null ? features : Chain.Next(features, Classifier);
    }

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
        foreach (var (name, module) in NamedModules())
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
            foreach (var parameter in module.Parameters(recurse: false))
            {
                if (frozen)
                {
                    parameter.Grad = null;
                }

                parameter.RequiresGrad = !frozen;
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
    public IEnumerable<Tensor> TrainableParameters() => Parameters().Where(p => p.RequiresGrad);

    /// <summary>The classifier's parameters (none for a feature extractor), for a learning rate of their own.</summary>
    public IEnumerable<Tensor> ClassifierParameters() => Classifier?.Parameters() ?? [];

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
        using var content = SafetensorsFile.Read(path);
        return LoadWeights(content.Tensors, head, path);
    }

    /// <summary>As <see cref="LoadWeights(string, HeadWeights)"/>, from tensors in memory; <paramref name="source"/> names them in errors.</summary>
    public BackboneWeightsReport LoadWeights(IReadOnlyDictionary<string, Tensor> weights, HeadWeights head = HeadWeights.Auto, string source = "the state dict")
    {
        ArgumentNullException.ThrowIfNull(weights);
        var own = StateDict();
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
            else if (!value.Shape.SequenceEqual(target.Shape))
            {
                if (key == StemConvWeightKey && CanAdaptStem(value.Shape, target.Shape))
                {
                    adapted.Add(key);
                }
                else
                {
                    mismatched.Add(SizeMismatch(key, value, target));
                }
            }
            else if (value.DType.IsFloatingPoint() != target.DType.IsFloatingPoint())
            {
                mismatched.Add($"dtype mismatch for \"{key}\": the file has {value.DType}, the model {target.DType}");
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
            ownHead.All(k => weights.TryGetValue(k, out var t) && t.Shape.SequenceEqual(own[k].Shape));
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
                    else if (!t.Shape.SequenceEqual(own[key].Shape))
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

        using (Torch.NoGrad())
        {
            foreach (var key in loaded)
            {
                own[key].CopyFrom(weights[key]);
            }

            foreach (var key in adapted)
            {
                using var weight = AdaptStemWeight(weights[key], InChannels);
                own[key].CopyFrom(weight);
            }
        }

        return new BackboneWeightsReport(source, loaded, adapted, skipped, kept);
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
        $"size mismatch for \"{key}\": the file has [{string.Join(", ", file.Shape)}], the model [{string.Join(", ", model.Shape)}]";

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
        if (rgbWeight.Dim != 4 || rgbWeight.Size(1) != 3)
        {
            throw new ArgumentException($"an RGB stem weight [out, 3, kh, kw] is expected, got [{string.Join(", ", rgbWeight.Shape)}]", nameof(rgbWeight));
        }

        using var scope = Torch.NewDisposeScope();
        var weight = rgbWeight.To(ScalarType.Float32);
        Tensor result;
        if (inChannels == 1)
        {
            result = weight.Sum(1, keepDim: true);
        }
        else
        {
            var repeats = (inChannels + 2) / 3;
            result = weight.Repeat(1, repeats, 1, 1).Slice(1, 0, inChannels).Mul(3.0 / inChannels);
        }

        return result.Contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision's initialisation, shared by every backbone: Kaiming-normal (fan-out) convolutions with zero biases,
    /// unit-weight zero-bias batch norms, and the architecture's own rule for linear layers (null keeps PyTorch's
    /// default, as torchvision's ResNet does).
    /// </summary>
    private protected void InitialiseLikeTorchvision(Nonlinearity convNonlinearity, Action<Linear>? initialiseLinear)
    {
        foreach (var module in Modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Init.KaimingNormal_(conv.Weight, mode: FanMode.FanOut, nonlinearity: convNonlinearity);
                    if (conv.Bias is not null)
                    {
                        Init.Zeros_(conv.Bias);
                    }

                    break;
                case FreezableBatchNorm2d norm:
                    Init.Ones_(norm.Weight!);
                    Init.Zeros_(norm.Bias!);
                    break;
                case Linear linear when initialiseLinear is not null:
                    initialiseLinear(linear);
                    break;
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
