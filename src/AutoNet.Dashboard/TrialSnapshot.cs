using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AutoNet.Store;

namespace AutoNet.Dashboard;

/// <summary>An experiment's trials as read at one moment: the rows, the hyperparameter labels, and a change signature.</summary>
internal sealed record TrialSnapshot(
    Experiment Experiment,
    IReadOnlyList<TrialRow> Rows,
    IReadOnlyDictionary<long, long> Ids,
    IReadOnlyList<string> Labels,
    string Signature,
    DateTimeOffset ReadAt)
{
    public static TrialSnapshot From(Experiment experiment, IReadOnlyList<Trial> trials, DateTimeOffset now)
    {
        var rows = trials.Select(t => TrialRow.From(t, now)).ToList();
        var labels = rows.SelectMany(r => r.Hyperparameters.Keys).Distinct(StringComparer.Ordinal).ToList();
        var text = new StringBuilder(experiment.State.ToString());
        foreach (var trial in trials)
        {
            text.Append(CultureInfo.InvariantCulture, $"|{trial.Number}:{trial.State}:{trial.EpochsDone}:{trial.BestValidationAccuracy}:{trial.TestAccuracy}");
        }

        var signature = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return new TrialSnapshot(experiment, rows, trials.ToDictionary(t => t.Number, t => t.Id), labels, signature, now);
    }
}
