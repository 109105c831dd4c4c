namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// One architecture the timing probe trained for a few steps on this device: its measured training time per image and
/// its multiply-adds per image (null where they cannot be counted, as for a pretrained backbone).
/// </summary>
public sealed record ProbedArchitecture(double SecondsPerImage, long? MultiplyAdds);
