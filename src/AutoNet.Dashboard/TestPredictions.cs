using System.Collections.Concurrent;
using AutoNet.Scheduling.Experiments;
using AutoNet.Store;
using AutoNet.Torch;
using AutoNet.Torch.Safetensors;
using TorchSharp;

namespace AutoNet.Dashboard;

/// <summary>
/// Every test image of one confusion-matrix cell (a true class taken for a predicted one), most confident first, from
/// the class probabilities a completed trial saved beside its checkpoint (<c>test-predictions.safetensors</c>): the
/// stored confident mistakes are only the twenty surest of all.
/// </summary>
internal sealed class TestPredictions
{
    public const int MaxImages = 60;

    private readonly string _workspace;
    private readonly ConcurrentDictionary<long, (float[] Probabilities, long[] Labels, int Classes)> _read = new();

    public TestPredictions(string workspace) => _workspace = Path.GetFullPath(workspace);

    public object Cell(Experiment experiment, Trial trial, int trueClass, int predicted)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trial);
        var (probabilities, labels, classes) = _read.GetOrAdd(trial.Id, _ => Read(experiment, trial));
        if (trueClass < 0 || trueClass >= classes || predicted < 0 || predicted >= classes)
        {
            throw new DashboardBadRequestException($"true={trueClass}&predicted={predicted}: expected classes 0 to {classes - 1}");
        }

        var images = new List<(int Index, double Confidence)>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] != trueClass)
            {
                continue;
            }

            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (probabilities[(i * classes) + c] > probabilities[(i * classes) + best])
                {
                    best = c;
                }
            }

            if (best == predicted)
            {
                images.Add((i, probabilities[(i * classes) + best]));
            }
        }

        return new
        {
            trueClass,
            predicted,
            count = images.Count,
            images = images.OrderByDescending(m => m.Confidence).ThenBy(m => m.Index).Take(MaxImages).Select(m => new { index = m.Index, confidence = m.Confidence }).ToList(),
        };
    }

    private (float[] Probabilities, long[] Labels, int Classes) Read(Experiment experiment, Trial trial)
    {
        var path = Path.Join(TrialRequestFactory.TrialDirectory(_workspace, experiment.Name, trial.Number), "test-predictions.safetensors");
        if (!File.Exists(path))
        {
            throw new DashboardNotFoundException(
                $"trial {trial.Number} of '{experiment.Name}' has no saved test predictions in the workspace '{_workspace}' (only completed trials save them)");
        }

        TorchEngine.Initialize();
        using var content = SafetensorsFile.Read(path, ["probabilities", "labels"]);
        var probabilities = content["probabilities"];
        var labels = content["labels"];
        if (probabilities.shape.Length != 2 || labels.shape.Length != 1 || labels.shape[0] != probabilities.shape[0])
        {
            throw new DashboardNotFoundException($"'{path}' does not hold [N, classes] probabilities and N labels");
        }

        using var asFloat = probabilities.to(torch.ScalarType.Float32);
        using var asLong = labels.to(torch.ScalarType.Int64);
        return (asFloat.data<float>().ToArray(), asLong.data<long>().ToArray(), (int)probabilities.shape[1]);
    }
}
