namespace AutoNet.Models.MacroCnn;

/// <summary>
/// A plain or residual convolution stack for small images and tight budgets (the macro-cnn search space): stages
/// in order, each after the first halving resolution (<see cref="Downsampling"/>), then global pooling, dropout and
/// a linear classifier. Keys: stages.{i}.{j}.… (a pooling downsample, when used, is stages.{i}.0), classifier.
/// </summary>
public sealed record MacroCnnConfig(
    int InputChannels,
    int NumClasses,
    IReadOnlyList<MacroCnnStage> Stages,
    MacroCnnDownsampling Downsampling = MacroCnnDownsampling.MaxPool,
    GlobalPooling GlobalPooling = GlobalPooling.Average,
    double Dropout = 0.0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(InputChannels >= 1, nameof(InputChannels), InputChannels, "≥ 1 (1 for grey, 3 for RGB)");
        Check(NumClasses >= 1, nameof(NumClasses), NumClasses, "≥ 1");
        Check(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)");
        Check(Enum.IsDefined(Downsampling), nameof(Downsampling), Downsampling, string.Join(", ", Enum.GetNames<MacroCnnDownsampling>()));
        Check(Enum.IsDefined(GlobalPooling), nameof(GlobalPooling), GlobalPooling, string.Join(", ", Enum.GetNames<GlobalPooling>()));
        if (Stages is null || Stages.Count == 0)
        {
            throw new ArgumentException("a macro-cnn needs at least one stage", nameof(Stages));
        }

        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = Stages[i] ?? throw new ArgumentException($"Stages[{i}] is null", nameof(Stages));
            Check(stage.Width >= 1, $"Stages[{i}].Width", stage.Width, "≥ 1");
            Check(stage.Depth >= 1, $"Stages[{i}].Depth", stage.Depth, "≥ 1");
            Check(stage.KernelSize >= 1 && stage.KernelSize % 2 == 1, $"Stages[{i}].KernelSize", stage.KernelSize, "an odd size ≥ 1 (1, 3, 5, 7, …)");
        }
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"macro-cnn setting {name} = {value} is out of range; expected {expected}", name);
        }
    }
}
