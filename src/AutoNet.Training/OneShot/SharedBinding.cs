using TorchSharp.Modules;

namespace AutoNet.Training.OneShot;

/// <summary>One parameter of a path network and the key of the shared weight it was loaded from (<see cref="SharedWeights.Load"/>).</summary>
public sealed record SharedBinding(string Key, Parameter Parameter);
