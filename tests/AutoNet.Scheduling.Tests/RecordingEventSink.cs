using System.Collections.Concurrent;
using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

/// <summary>An event sink that lets every trial go on and keeps every run end it is told of.</summary>
internal sealed class RecordingEventSink : ITrialEventSink
{
    private readonly ConcurrentQueue<TrialRunEnded> ends = new();

    public IReadOnlyCollection<TrialRunEnded> Ends => ends;

    public TrialDecision OnEpochCompleted(EpochReport report) => TrialDecision.Continue;

    public void OnRunEnded(TrialRunEnded ended) => ends.Enqueue(ended);
}
