namespace AutoNet.Store;

/// <summary>
/// A trial to add to an experiment. <paramref name="GenotypeHash"/> is the caller's canonical hash of the
/// genotype; the store combines it with the hyperparameters into <see cref="Trial.ConfigHash"/> (see
/// <see cref="TrialHashes"/>) so that a duplicate configuration can be found and its result reused.
/// </summary>
/// <param name="GenotypeJson">The architecture, as JSON.</param>
/// <param name="GenotypeHash">Canonical hash of the genotype (non-empty).</param>
/// <param name="HyperparametersJson">The hyperparameters, a JSON object.</param>
/// <param name="ParameterCount">Number of trainable parameters, when known before training.</param>
/// <param name="Flops">Multiply-adds of one forward pass, when known before training.</param>
/// <param name="Role">A search trial (the default) or the final training of the winner.</param>
public sealed record NewTrial(
    string GenotypeJson,
    string GenotypeHash,
    string HyperparametersJson,
    long? ParameterCount = null,
    long? Flops = null,
    TrialRole Role = TrialRole.Search);
