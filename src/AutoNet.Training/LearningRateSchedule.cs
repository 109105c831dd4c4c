namespace AutoNet.Training;

public enum LearningRateSchedule
{
    /// <summary>Linear warm-up, then cosine decay to zero over the trial's full epoch budget.</summary>
    Cosine,

    /// <summary>Leslie Smith's one-cycle: up to the peak rate over the first 30 % (or the warm-up), then down.</summary>
    OneCycle,

    /// <summary>Linear warm-up, then the base rate throughout.</summary>
    Constant,
}
