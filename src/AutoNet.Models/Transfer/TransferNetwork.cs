using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Transfer;

/// <summary>
/// A trained AutoNet network reused as a backbone for a new data set (NASNet's story: search on a small set, transfer
/// to another): the base network's pooled features (<see cref="FeatureExtractor"/>; its own classifier is kept in the
/// state dict but unused), dropout, and a fresh linear head for the new classes. Keys: base.…, head.weight, head.bias.
/// </summary>
public sealed class TransferNetwork : Module
{
    private readonly Module baseModel;
    private readonly Dropout dropout;
    private readonly Linear head;

    /// <param name="baseModel">The trained network; the transfer network owns it from now on (disposing one disposes the other).</param>
    /// <param name="numClasses">Classes of the new data set.</param>
    /// <param name="dropout">Dropout before the head, in training only.</param>
    public TransferNetwork(Module baseModel, long numClasses, double dropout = 0.0)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        if (!FeatureExtractor.Supports(baseModel))
        {
            throw new ArgumentException(
                $"a {baseModel.GetType().Name} cannot serve as a backbone: expected a CellNetwork, MacroCnnNetwork, Backbone or TransferNetwork", nameof(baseModel));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        if (!(dropout >= 0 && dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1)");
        }

        FeatureCount = FeatureExtractor.FeatureCount(baseModel);
        NumClasses = numClasses;
        DropoutProbability = dropout;
        this.baseModel = RegisterModule("base", baseModel);
        this.dropout = RegisterModule("dropout", new Dropout(dropout));
        head = RegisterModule("head", new Linear(FeatureCount, numClasses));
    }

    /// <summary>The reused network (its classifier, if any, plays no part in <see cref="Forward"/>).</summary>
    public Module Base => baseModel;

    public Linear Head => head;

    public long FeatureCount { get; }

    public long NumClasses { get; }

    public double DropoutProbability { get; }

    /// <summary>The base network's pooled features [N, <see cref="FeatureCount"/>].</summary>
    public Tensor ForwardFeatures(Tensor input) => FeatureExtractor.ForwardFeatures(baseModel, input);

    public override Tensor Forward(Tensor input)
    {
        using var features = ForwardFeatures(input);
        using var dropped = dropout.Forward(features);
        return head.Forward(dropped);
    }

    /// <summary>
    /// Stops (or restarts) gradients to the base network's parameters, for training the head alone first. BatchNorm
    /// statistics follow the base's train/eval mode: call <c>Base.Eval()</c> after <c>Train()</c> to keep them too.
    /// </summary>
    public void FreezeBase(bool frozen = true)
    {
        foreach (var parameter in baseModel.Parameters())
        {
            if (frozen)
            {
                parameter.Grad = null;
            }

            parameter.RequiresGrad = !frozen;
        }
    }

    /// <summary>The parameters that require gradients now (build the optimizer after freezing).</summary>
    public IEnumerable<Tensor> TrainableParameters() => Parameters().Where(p => p.RequiresGrad);
}
