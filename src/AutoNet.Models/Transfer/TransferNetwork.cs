using AutoNet.Models.Backbones;
using AutoNet.Models.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Transfer;

/// <summary>
/// A pretrained feature extractor with a new head for another data set (transfer learning), trained in two phases:
/// <see cref="TransferPhase.HeadOnly"/> (the whole extractor frozen) and <see cref="TransferPhase.FineTune"/> (the
/// first <see cref="FreezeFraction"/> of its stages stay frozen, the rest train, usually at a lower learning rate).
/// Frozen modules compute exactly what they compute in eval mode — batch norm uses and keeps its running statistics,
/// dropout and drop-path are off — so a frozen stage is a fixed function of its input. Keys: backbone.…, head.….
/// </summary>
public sealed class TransferNetwork : nn.Module<Tensor, Tensor>
{
    private readonly FeatureExtractor features;
    private readonly ArchitectureModule head;
    private readonly bool readsFeatureMap;
    private readonly List<nn.Module> frozenModules = [];

    /// <param name="features">the pretrained network (its weights already loaded)</param>
    /// <param name="head">the new head</param>
    /// <param name="numClasses">classes of the new data set</param>
    /// <param name="freezeFraction">fraction of the stages, from the input side, frozen while fine-tuning (rounded half up; 1 never trains the extractor)</param>
    public TransferNetwork(FeatureExtractor features, TransferHead head, long numClasses, double freezeFraction)
        : base(nameof(TransferNetwork))
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(head);
        head.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        if (!(freezeFraction >= 0 && freezeFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(freezeFraction), freezeFraction, "the frozen fraction of the feature extractor must be in [0, 1]");
        }

        this.features = features;
        FreezeFraction = freezeFraction;
        NumClasses = numClasses;
        HeadSettings = head;
        register_module("backbone", features.Module);
        readsFeatureMap = head.Kind == TransferHeadKind.Cell;
        if (readsFeatureMap && features.ForwardFeatureMap is null)
        {
            throw new ArgumentException(
                $"a cell head reads the feature extractor's last feature map, which this {features.Module.GetType().Name} does not expose; " +
                "use a linear or MLP head, or a torchvision backbone");
        }

        HeadDescription = DescribeHead(head, features.FeatureDim, numClasses);
        this.head = new ArchitectureModule(HeadDescription);
        register_module("head", this.head);
        SetPhase(TransferPhase.FineTune);
    }

    public FeatureExtractor Features => features;

    /// <summary>The head module, built from <see cref="HeadDescription"/>.</summary>
    public ArchitectureModule Head => head;

    /// <summary>The head's description (what exports walk); its keys sit under "head.".</summary>
    public ArchNode HeadDescription { get; }

    public TransferHead HeadSettings { get; }

    public double FreezeFraction { get; }

    /// <summary>Classes of the new data set (the head's outputs).</summary>
    public long NumClasses { get; }

    public TransferPhase Phase { get; private set; }

    /// <summary>Stages frozen while fine-tuning: round(<see cref="FreezeFraction"/> × stages), halves up.</summary>
    public int FrozenStagesWhenFineTuning => (int)Math.Round(FreezeFraction * features.Stages.Count, MidpointRounding.AwayFromZero);

    /// <summary>The head's parameters (always trained).</summary>
    public IEnumerable<Parameter> HeadParameters() => head.parameters();

    /// <summary>The feature extractor's parameters that train while fine-tuning (in stages past the frozen fraction).</summary>
    public IEnumerable<Parameter> FineTunedBackboneParameters()
    {
        var frozen = FrozenStagesWhenFineTuning;
        return features.Module.named_modules()
            .Where(m => StageOf(m.name) >= frozen)
            .SelectMany(m => m.module.parameters(recurse: false));
    }

    /// <summary>
    /// Freezes what <paramref name="phase"/> freezes and unfreezes the rest. Build an optimizer in the fine-tuning
    /// phase (optimizers take only parameters that require gradients); frozen parameters have no gradient, so an
    /// optimizer skips them while the head trains alone.
    /// </summary>
    public void SetPhase(TransferPhase phase)
    {
        var count = phase == TransferPhase.HeadOnly ? features.Stages.Count : FrozenStagesWhenFineTuning;
        if (features.Module is Backbone backbone)
        {
            // Its own freezing also pins frozen batch norms and EfficientNet's stochastic depth.
            backbone.FreezeStages(count);
        }

        frozenModules.Clear();
        foreach (var (name, module) in features.Module.named_modules())
        {
            var stage = StageOf(name);
            var trainable = stage >= count;
            foreach (var parameter in module.parameters(recurse: false))
            {
                if (!trainable)
                {
                    parameter.grad = null;
                }

                parameter.requires_grad = trainable;
            }

            // Only a module inside a frozen stage is pinned to eval mode (never a container holding several stages).
            if (stage >= 0 && stage < count && !frozenModules.Any(m => m.modules().Contains(module)))
            {
                frozenModules.Add(module);
            }
        }

        Phase = phase;
    }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (training)
        {
            foreach (var module in frozenModules)
            {
                module.eval();
            }
        }

        using var x = readsFeatureMap ? features.ForwardFeatureMap!(input) : features.ForwardFeatures(input);
        return head.forward(x);
    }

    /// <summary>The stage index of a module of the feature extractor; -1 for one in no stage (a container, or the unused old classifier).</summary>
    private int StageOf(string moduleName)
    {
        for (var i = 0; i < features.Stages.Count; i++)
        {
            if (features.Stages[i].Contains(moduleName))
            {
                return i;
            }
        }

        // Parameters in no stage never train: a stage index past every count would make them trainable.
        return -1;
    }

    /// <summary>The description of <paramref name="head"/> on features of width <paramref name="featureDim"/> (keys relative to "head.").</summary>
    public static ArchNode DescribeHead(TransferHead head, long featureDim, long numClasses)
    {
        ArgumentNullException.ThrowIfNull(head);
        return head.Kind switch
        {
            TransferHeadKind.Linear => new SequentialNode(null, [new DropoutOp("0", head.Dropout), new LinearOp("1", featureDim, numClasses)]),
            TransferHeadKind.Mlp => new SequentialNode(null, [
                new LinearOp("0", featureDim, head.Hidden), new ActivationOp("1", Activation.Relu), new DropoutOp("2", head.Dropout), new LinearOp("3", head.Hidden, numClasses)]),
            TransferHeadKind.Cell => CellHead.Describe(null, head.Cell!, featureDim, head.CellChannels, numClasses, head.Dropout),
            _ => throw new ArgumentOutOfRangeException(nameof(head), head.Kind, "unknown head kind"),
        };
    }
}
