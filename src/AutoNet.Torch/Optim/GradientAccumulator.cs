namespace AutoNet.Torch.Optim;

/// <summary>
/// Gradient accumulation: a large batch as <see cref="MicroBatches"/> micro-batches. Each call to
/// <see cref="Backward"/> back-propagates <c>loss / MicroBatches</c> (so the accumulated gradient is that of the mean
/// loss over the large batch, when each micro-batch loss is a mean over equally sized micro-batches); every
/// <see cref="MicroBatches"/>-th call optionally clips the gradient norm, steps the optimizer and clears the gradients.
/// <code>
/// var accumulator = new GradientAccumulator(optimizer, microBatches: 4, maxGradNorm: 1.0);
/// foreach (var (x, y) in batches) { using var loss = F.CrossEntropy(model(x), y); if (accumulator.Backward(loss)) scheduler.Step(); }
/// </code>
/// </summary>
public sealed class GradientAccumulator
{
    private readonly Optimizer optimizer;
    private readonly double? maxGradNorm;

    public GradientAccumulator(Optimizer optimizer, int microBatches, double? maxGradNorm = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatches, 1);
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
        MicroBatches = microBatches;
    }

    public int MicroBatches { get; }

    /// <summary>Micro-batches back-propagated since the last optimizer step.</summary>
    public int Pending { get; private set; }

    /// <summary>The total gradient norm before clipping at the last step (NaN when not clipping).</summary>
    public double LastGradNorm { get; private set; } = double.NaN;

    /// <summary>Back-propagates the scaled loss; returns true when this call stepped the optimizer.</summary>
    public bool Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (Pending == 0)
        {
            optimizer.ZeroGrad();
        }

        if (MicroBatches == 1)
        {
            loss.Backward();
        }
        else
        {
            using var scaled = loss.Div(MicroBatches);
            scaled.Backward();
        }

        Pending++;
        if (Pending < MicroBatches)
        {
            return false;
        }

        Flush();
        return true;
    }

    /// <summary>Steps on what has accumulated so far (e.g. the epoch's last, short group); false if nothing is pending.</summary>
    public bool Flush()
    {
        if (Pending == 0)
        {
            return false;
        }

        var parameters = optimizer.ParamGroups.SelectMany(g => g.Parameters).ToArray();
        if (Pending < MicroBatches)
        {
            // Rescale so a short group also yields the gradient of its mean loss.
            foreach (var parameter in parameters)
            {
                using var grad = parameter.Grad;
                grad?.Mul_((double)MicroBatches / Pending);
            }
        }

        if (maxGradNorm is { } max)
        {
            LastGradNorm = GradClipping.ClipGradNorm(parameters, max);
        }

        optimizer.Step();
        optimizer.ZeroGrad();
        Pending = 0;
        return true;
    }
}
