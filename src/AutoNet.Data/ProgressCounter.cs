namespace AutoNet.Data;

/// <summary>Counts finished items from any thread and reports about every half percent (and the last one).</summary>
internal sealed class ProgressCounter
{
    private readonly string stage;
    private readonly long total;
    private readonly long every;
    private readonly IProgress<DataProgress>? progress;
    private long done;

    public ProgressCounter(string stage, long total, IProgress<DataProgress>? progress)
    {
        this.stage = stage;
        this.total = total;
        this.progress = progress;
        every = Math.Max(1, total / 200);
        progress?.Report(new DataProgress(stage, 0, total));
    }

    public void Tick()
    {
        var now = Interlocked.Increment(ref done);
        if (progress is not null && (now % every == 0 || now == total))
        {
            progress.Report(new DataProgress(stage, now, total));
        }
    }
}
