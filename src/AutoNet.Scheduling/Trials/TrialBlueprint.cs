using AutoNet.Models;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Search.Spaces;
using AutoNet.Training;

using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Trials;

/// <summary>
/// What one search sample is as a trial: how to build its network for the data's channels and classes, its
/// training recipe, and the resolution its images are cached at. The scheduler is the one layer that knows both the
/// space a sample came from and the trainer, so this is where the two meet.
/// </summary>
public sealed record TrialBlueprint(
    SearchSpaceKind Kind,
    Func<nn.Module<Tensor, Tensor>> BuildModel,
    TrainingHyperparameters Hyperparameters,
    int Resolution,
    ModelComplexity? Complexity)
{
    /// <summary>Sets drop-path on the built network each epoch (cell networks); null where the network has none.</summary>
    public Action<nn.Module<Tensor, Tensor>, double>? SetDropPath { get; init; }

    /// <param name="space">the space the sample belongs to (it is validated against it)</param>
    /// <param name="sample">the point to train</param>
    /// <param name="inputChannels">channels of the cached images (1 gray, 3 colour)</param>
    /// <param name="numClasses">classes of the data set</param>
    /// <param name="seed">the trial's seed (initialisation, order, augmentation)</param>
    /// <param name="defaultResolution">the resolution when the space does not search one</param>
    /// <param name="transfer">for a transfer space: where its pretrained weights (or trained network) come from</param>
    /// <param name="finalTraining">
    /// the final training of a search's winner: it trains longer than any search trial, so its <c>hp/epochs</c> is
    /// not held to the space's range (everything else is)
    /// </param>
    public static TrialBlueprint FromSample(SearchSpace space, SearchSample sample, int inputChannels, int numClasses, long seed, int defaultResolution,
        TransferSources? transfer = null, bool finalTraining = false)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(sample);
        var hyperparameters = SampleHyperparameters.ToTraining(space, sample, seed);
        var resolution = SampleHyperparameters.Resolution(space, sample, defaultResolution);

        // From here on the sample is checked against the space; a final training's longer run was taken above.
        if (finalTraining && sample.Contains(SpaceLabels.Epochs) && space.TryGetDecision(SpaceLabels.Epochs, out var epochs) && epochs.IsDiscrete)
        {
            sample = sample.With(SpaceLabels.Epochs, epochs.ValueAt(0));
        }

        space.Validate(sample);
        switch (space.Kind)
        {
            case SearchSpaceKind.Cell:
            {
                var genotype = SampleConversions.ToGenotype(space, sample);
                var settings = SampleConversions.ToCellNetworkSettings(space, sample, inputChannels, numClasses);
                return new TrialBlueprint(space.Kind, () => new CellNetwork(genotype, settings), hyperparameters, resolution,
                    CellNetwork.Complexity(genotype, settings, resolution, resolution))
                {
                    SetDropPath = static (model, probability) => ((CellNetwork)model).DropPathProbability = probability,
                };
            }

            case SearchSpaceKind.Macro:
            {
                var config = SampleConversions.ToMacroCnnConfig(space, sample, inputChannels, numClasses);
                return new TrialBlueprint(space.Kind, () => new MacroCnnNetwork(config), hyperparameters, resolution,
                    MacroCnnNetwork.Complexity(config, resolution, resolution));
            }

            case SearchSpaceKind.Transfer:
                return TransferBlueprint.Create(space, sample, inputChannels, numClasses, hyperparameters, resolution, transfer ?? new TransferSources());

            default:
                throw new NotSupportedException($"the space '{space.Name}' is a {space.Kind} space; trials are built for cell, macro and transfer spaces");
        }
    }
}
