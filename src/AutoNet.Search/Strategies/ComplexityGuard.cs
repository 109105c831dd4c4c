using AutoNet.Models;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// Rejects points over the space's <c>maxParams</c>/<c>maxFlops</c> before any training. The size is counted
/// analytically, without building the model: cell spaces through <see cref="CellNetwork.Complexity"/> of the sample's
/// genotype and network settings, macro-cnn through <see cref="MacroCnnNetwork.Complexity"/>, at the sample's
/// <c>hp/input_resolution</c> (or the space's fixed <c>input_resolution</c>) when it has one, else at the data's image size. A point whose network does not fit its
/// input (a reduction on an odd size, too many stages) is rejected too. A rejected point is told to the strategy
/// with score null, so it learns, and the strategy is asked again — at most <see cref="MaxTries"/> times in a row,
/// then the search stops with an error naming the bound. Transfer spaces have no analytic count for their backbones
/// yet: their parameters are counted on the built network (backbone without weights, plus the head), and a
/// <c>maxFlops</c> on a transfer space is refused up front rather than silently ignored.
/// </summary>
public sealed class ComplexityGuard
{
    public const int DefaultMaxTries = 100;

    public ComplexityGuard(SearchSpace space, int inputChannels, int numClasses, int imageHeight, int imageWidth, int maxTries = DefaultMaxTries)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTries, 1);
        if (space.Kind == SearchSpaceKind.Transfer && space.MaxFlops is { } flops)
        {
            throw new ArgumentException(
                $"the transfer space '{space.Name}' sets maxFlops {flops:N0}, which AutoNet cannot count for pretrained backbones yet; remove it and bound maxParams instead",
                nameof(space));
        }

        Space = space;
        InputChannels = inputChannels;
        NumClasses = numClasses;
        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        MaxTries = maxTries;
    }

    public SearchSpace Space { get; }

    public int InputChannels { get; }

    public int NumClasses { get; }

    public int ImageHeight { get; }

    public int ImageWidth { get; }

    public int MaxTries { get; }

    /// <summary>
    /// The size of the model <paramref name="sample"/> builds; null for a space whose models cannot be counted
    /// (transfer). Throws <see cref="ArgumentException"/> when the network does not fit its input.
    /// </summary>
    public ModelComplexity? Measure(SearchSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        // The resolution the trial trains at: searched, else fixed by the space, else the data's own.
        var (height, width) = sample.TryGetValue(SpaceLabels.InputResolution, out var resolution)
            || Space.TryGetFixed("input_resolution", out resolution)
            ? (resolution.AsInt32(), resolution.AsInt32())
            : (ImageHeight, ImageWidth);
        return Space.Kind switch
        {
            SearchSpaceKind.Cell => CellNetwork.Complexity(SampleConversions.ToGenotype(Space, sample),
                SampleConversions.ToCellNetworkSettings(Space, sample, InputChannels, NumClasses), height, width),
            SearchSpaceKind.Macro => MacroCnnNetwork.Complexity(SampleConversions.ToMacroCnnConfig(Space, sample, InputChannels, NumClasses), height, width),
            _ => null,
        };
    }

    /// <summary>Null when <paramref name="sample"/> may be trained, otherwise why not (a bound, or a network that does not fit its input).</summary>
    public string? Check(SearchSample sample, out ModelComplexity? complexity)
    {
        try
        {
            complexity = Measure(sample);
        }
        catch (ArgumentException e)
        {
            complexity = null;
            return $"the network does not fit its input: {e.Message}";
        }

        if (complexity is { } c)
        {
            return Space.CheckBounds(c);
        }

        return Space.Kind == SearchSpaceKind.Transfer && Space.MaxParams is not null ? CheckTransferParameters(sample) : null;
    }

    private string? CheckTransferParameters(SearchSample sample)
    {
        var settings = SampleConversions.ToTransferSettings(Space, sample);
        if (settings.Backbone is null)
        {
            // The trial brings its own trained network, whose size the sample does not say.
            return null;
        }

        using var network = new TransferNetwork(
            FeatureExtractor.From(BackboneFactory.Create(settings.Backbone, new BackboneOptions { NumClasses = 0, InChannels = InputChannels })),
            settings.Head, NumClasses, settings.FreezeFraction);

        // No FLOP count here, and the constructor refused a maxFlops: only the parameter bound applies.
        return Space.CheckBounds(network.parameters().Sum(p => p.numel()), flops: 0);
    }

    /// <summary>
    /// The strategy's next point within bounds; null when it has nothing to propose. Each rejected point is told to
    /// the strategy with score null. Throws <see cref="InvalidOperationException"/> after <see cref="MaxTries"/>
    /// rejections in a row.
    /// </summary>
    public GuardedSample? Ask(ISearchStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        string? lastReason = null;
        for (var rejected = 0; rejected < MaxTries; rejected++)
        {
            if (strategy.Ask() is not { } sample)
            {
                return null;
            }

            var reason = Check(sample, out var complexity);
            if (reason is null)
            {
                return new GuardedSample(sample, complexity, rejected);
            }

            lastReason = reason;
            strategy.Tell(sample, null);
        }

        throw new InvalidOperationException(
            $"the {strategy.Name} strategy proposed {MaxTries} points in a row that the space '{Space.Name}' rejects " +
            $"(maxParams {Describe(Space.MaxParams)}, maxFlops {Describe(Space.MaxFlops)}); the last: {lastReason}. Loosen the bound or narrow the space.");
    }

    private static string Describe(long? bound) => bound is { } b ? b.ToString("N0", null) : "none";
}
