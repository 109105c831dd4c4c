using AutoNet.Search.MultiFidelity;
using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// A test double of the experiment store's trial table with the store's rules (atomic claim, owner-checked writes,
/// stale takeover, idempotent epochs), shared by every in-process worker of a test. It also counts every final
/// transition, so a test can prove each trial ended exactly once.
/// </summary>
internal sealed class InMemoryTrialLedger(TimeProvider? clock = null) : ITrialLedger
{
    private readonly Lock gate = new();
    private readonly Dictionary<long, Row> rows = [];
    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private long nextId;

    public int Claims { get; private set; }

    public int Takeovers { get; private set; }

    public Task<(long TrialId, int TrialNumber)> AddTrialAsync(long experimentId, TrialProposal proposal, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var id = ++nextId;
            var number = rows.Values.Count(r => r.ExperimentId == experimentId) + 1;
            rows[id] = new Row(id, experimentId, number, proposal);
            return Task.FromResult((id, number));
        }
    }

    public Task<TrialClaim> ClaimAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!rows.TryGetValue(trialId, out var row))
            {
                return Task.FromResult(new TrialClaim(TrialClaimStatus.NotFound, 0));
            }

            if (row.End is { } end)
            {
                return Task.FromResult(new TrialClaim(TrialClaimStatus.Finished, row.EpochsDone, end.State, row.Best));
            }

            var now = time.GetUtcNow();
            if (row.Owner is not null && now - row.Heartbeat < staleAfter)
            {
                return Task.FromResult(new TrialClaim(TrialClaimStatus.HeldByLiveWorker, row.EpochsDone));
            }

            if (row.Owner is not null)
            {
                Takeovers++;
            }

            Claims++;
            row.Owner = workerId;
            row.Device = device;
            row.Heartbeat = now;
            row.Attempts++;
            row.UnendedRuns++;
            return Task.FromResult(new TrialClaim(TrialClaimStatus.Claimed, row.EpochsDone, UnendedRuns: row.UnendedRuns));
        }
    }

    public Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        Owned(trialId, workerId, row => row.Heartbeat = time.GetUtcNow());

    public Task<bool> ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken) =>
        Owned(trialId, workerId, row =>
        {
            row.Epochs[metrics.Epoch] = metrics;
            row.Heartbeat = time.GetUtcNow();
        });

    public Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        Owned(trialId, workerId, row =>
        {
            row.Owner = null;
            row.UnendedRuns = 0;
        });

    public Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken) =>
        Owned(trialId, workerId, row =>
        {
            row.Owner = null;
            row.End = end;
            row.Finishes++;
        });

    public Task<bool> FinishWaitingAsync(long trialId, TrialEnd end, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!rows.TryGetValue(trialId, out var row) || row.End is not null || row.Owner is not null)
            {
                return Task.FromResult(false);
            }

            row.End = end;
            row.Finishes++;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<EpochScore>> GetScoresAsync(long trialId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<EpochScore> scores = rows.TryGetValue(trialId, out var row)
                ? row.Epochs.Values.OrderBy(e => e.Epoch).Select(e => new EpochScore(e.Epoch, e.ValidationAccuracy)).ToArray()
                : [];
            return Task.FromResult(scores);
        }
    }

    public Task<IReadOnlyList<TrialSnapshot>> GetTrialsAsync(long experimentId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<TrialSnapshot>>(rows.Values.Where(r => r.ExperimentId == experimentId).OrderBy(r => r.Number)
                .Select(r => new TrialSnapshot(r.Id, r.Number, r.Owner is not null, r.End?.State, r.EpochsDone, r.Best, r.Proposal.MaxEpochs,
                    r.Epochs.TryGetValue(r.EpochsDone, out var last) ? last.ValidationAccuracy : null))
                .ToArray());
        }
    }

    public IReadOnlyList<Row> Rows()
    {
        lock (gate)
        {
            return rows.Values.OrderBy(r => r.Id).ToArray();
        }
    }

    private Task<bool> Owned(long trialId, string workerId, Action<Row> change)
    {
        lock (gate)
        {
            if (!rows.TryGetValue(trialId, out var row) || row.End is not null || row.Owner != workerId)
            {
                return Task.FromResult(false);
            }

            change(row);
            return Task.FromResult(true);
        }
    }

    internal sealed class Row(long id, long experimentId, int number, TrialProposal proposal)
    {
        public long Id { get; } = id;

        public long ExperimentId { get; } = experimentId;

        public int Number { get; } = number;

        public TrialProposal Proposal { get; } = proposal;

        public string? Owner { get; set; }

        public string? Device { get; set; }

        public DateTimeOffset Heartbeat { get; set; }

        public int Attempts { get; set; }

        public int UnendedRuns { get; set; }

        public TrialEnd? End { get; set; }

        public int Finishes { get; set; }

        public Dictionary<int, EpochMetrics> Epochs { get; } = [];

        public int EpochsDone => Epochs.Count == 0 ? 0 : Epochs.Keys.Max();

        public double? Best => Epochs.Count == 0 ? null : Epochs.Values.Max(e => e.ValidationAccuracy);
    }
}
