namespace AutoNet.Scheduling.Experiments;

/// <summary>What a search's trials will train on, as far as their speed depends on it.</summary>
/// <param name="Channels">Image channels (1 grey, 3 colour).</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Resolution">Image side when the space does not search one.</param>
/// <param name="TrainImages">Images a search trial trains on in one epoch.</param>
/// <param name="ValidationImages">Images scored after each epoch.</param>
public sealed record TrialDataShape(int Channels, int Classes, int Resolution, int TrainImages, int ValidationImages);
