using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Scheduling.Experiments;

/// <summary>A search ready to run: its stored experiment, space and data, and why it was set up this way.</summary>
public sealed record SearchSetup(Experiment Experiment, SearchSpace Space, ExperimentData Data, bool Resumed, bool Demo, IReadOnlyList<string> Reasons);
