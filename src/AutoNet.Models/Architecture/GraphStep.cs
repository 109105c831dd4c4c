namespace AutoNet.Models.Architecture;

/// <summary>One step of a <see cref="GraphNode"/>: <see cref="Node"/> applied to the states listed in <see cref="Inputs"/>; its result is the next state.</summary>
public sealed record GraphStep(ArchNode Node, IReadOnlyList<int> Inputs);
