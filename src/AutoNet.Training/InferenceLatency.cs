namespace AutoNet.Training;

/// <summary>A final model's inference speed on the trial's device: median milliseconds per image at two batch sizes.</summary>
public sealed record InferenceLatency(string Device, double MillisecondsPerImageAtBatch1, int BatchSize, double MillisecondsPerImageAtBatchSize, int Repeats);
