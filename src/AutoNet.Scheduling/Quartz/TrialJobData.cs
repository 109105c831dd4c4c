using System.Globalization;
using Quartz;

namespace AutoNet.Scheduling.Quartz;

/// <summary>
/// What a trial job carries in its Quartz job data (plain strings, so any worker version reads it): the trial, how
/// far to train, and its retry history.
/// </summary>
/// <param name="TransientRetries">Transient retries already made.</param>
/// <param name="Rechecks">How many times this run found the trial held by a worker that still looked alive.</param>
internal sealed record TrialJobData(
    long ExperimentId,
    long TrialId,
    int TrialNumber,
    int TargetEpoch,
    int MaxEpochs,
    bool HalveBatch = false,
    int TransientRetries = 0,
    int Attempt = 1,
    int Rechecks = 0)
{
    public JobDataMap ToMap() => new()
    {
        [nameof(ExperimentId)] = Format(ExperimentId),
        [nameof(TrialId)] = Format(TrialId),
        [nameof(TrialNumber)] = Format(TrialNumber),
        [nameof(TargetEpoch)] = Format(TargetEpoch),
        [nameof(MaxEpochs)] = Format(MaxEpochs),
        [nameof(HalveBatch)] = HalveBatch ? "true" : "false",
        [nameof(TransientRetries)] = Format(TransientRetries),
        [nameof(Attempt)] = Format(Attempt),
        [nameof(Rechecks)] = Format(Rechecks),
    };

    public static TrialJobData From(JobDataMap map) => new(
        Long(map, nameof(ExperimentId)),
        Long(map, nameof(TrialId)),
        (int)Long(map, nameof(TrialNumber)),
        (int)Long(map, nameof(TargetEpoch)),
        (int)Long(map, nameof(MaxEpochs)),
        string.Equals(Text(map, nameof(HalveBatch)), "true", StringComparison.Ordinal),
        (int)Long(map, nameof(TransientRetries)),
        (int)Long(map, nameof(Attempt)),
        (int)Long(map, nameof(Rechecks)));

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(JobDataMap map, string key) =>
        map.TryGetValue(key, out var value) && value is not null ? Convert.ToString(value, CultureInfo.InvariantCulture)!
            : throw new InvalidOperationException($"trial job data has no '{key}'");

    private static long Long(JobDataMap map, string key)
    {
        var text = Text(map, key);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw new InvalidOperationException($"trial job data '{key}' = '{text}': expected an integer");
    }
}
