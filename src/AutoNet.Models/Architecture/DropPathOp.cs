namespace AutoNet.Models.Architecture;

/// <summary>
/// Drop path / stochastic depth ("row" mode): in training, each sample is zeroed with probability p and the others
/// scaled by 1 / (1 − p); an identity in eval mode (so exports leave it out). <see cref="P"/> null takes the
/// network's scheduled probability (<see cref="DropPathSchedule"/>, DARTS' drop_path_prob).
/// </summary>
public sealed record DropPathOp(string? Name, double? P = null) : ArchLeaf(Name);
