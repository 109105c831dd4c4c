namespace AutoNet.Scheduling.Quartz;

/// <summary>Thrown inside a job of a worker whose crash is being simulated, so the job stops without another write.</summary>
internal sealed class WorkerCrashedException : Exception
{
    public WorkerCrashedException()
        : base("the worker crashed (simulated)")
    {
    }

    public WorkerCrashedException(string message)
        : base(message)
    {
    }

    public WorkerCrashedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
