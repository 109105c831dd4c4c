namespace AutoNet.Torch.NN;

/// <summary>
/// What BatchNorm1d and BatchNorm2d share, as torch.nn.modules.batchnorm._BatchNorm: parameters weight/bias,
/// buffers running_mean, running_var and num_batches_tracked (int64), and PyTorch's train/eval logic.
/// A null momentum means a cumulative moving average (1 / num_batches_tracked), as in PyTorch.
/// </summary>
public abstract class BatchNorm : Module
{
    protected BatchNorm(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, ScalarType dtype, Device? device)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        if (affine)
        {
            Weight = RegisterParameter("weight", Torch.Ones(new[] { numFeatures }, dtype, device));
            Bias = RegisterParameter("bias", Torch.Zeros(new[] { numFeatures }, dtype, device));
        }

        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Torch.Zeros(new[] { numFeatures }, dtype, device));
            RunningVar = RegisterBuffer("running_var", Torch.Ones(new[] { numFeatures }, dtype, device));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Torch.Zeros(Array.Empty<long>(), ScalarType.Int64, device));
        }
    }

    public long NumFeatures { get; }

    public double Eps { get; }

    public double? Momentum { get; }

    public bool Affine { get; }

    public bool TrackRunningStats { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public Tensor? RunningMean { get; }

    public Tensor? RunningVar { get; }

    public Tensor? NumBatchesTracked { get; }

    /// <summary>Throws unless the input has the rank this variant accepts.</summary>
    protected abstract void CheckInputDim(Tensor input);

    public void ResetRunningStats()
    {
        using var noGrad = Torch.NoGrad();
        RunningMean?.Zero_();
        RunningVar?.Fill_(1);
        NumBatchesTracked?.Zero_();
    }

    public override Tensor Forward(Tensor input)
    {
        CheckInputDim(input);
        var factor = Momentum ?? 0.0;
        if (IsTraining && NumBatchesTracked is not null)
        {
            using (Torch.NoGrad())
            {
                NumBatchesTracked.Add_(1);
            }

            if (Momentum is null)
            {
                factor = 1.0 / NumBatchesTracked.Item<long>();
            }
        }

        // Batch statistics in training, and also in eval when there are no running ones to use.
        var useBatchStats = IsTraining || RunningMean is null;
        var updateStats = !IsTraining || TrackRunningStats;
        return Functional.BatchNorm(input, updateStats ? RunningMean : null, updateStats ? RunningVar : null, Weight, Bias, useBatchStats, factor, Eps);
    }
}
