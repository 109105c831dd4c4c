using System.Text.Json.Nodes;
using AutoNet.Torch.Tests.Reference;
using AutoNet.Training.Evaluation;

namespace AutoNet.Training.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Every_metric_equals_scikit_learns_on_softmax_outputs()
    {
        var (probabilities, labels) = RandomSoftmax(seed: 3, samples: 300, classes: 7);

        AssertMatchesScikitLearn(probabilities, labels, classes: 7, compareTop5: true);
    }

    [Fact]
    public void Tied_scores_and_a_class_without_samples_are_handled_as_scikit_learn_does()
    {
        var random = new Random(11);
        const int samples = 120, classes = 4;
        var probabilities = new float[samples * classes];
        var labels = new int[samples];
        for (var i = 0; i < samples; i++)
        {
            // Class 3 never occurs; scores rounded to one decimal make many ties.
            labels[i] = random.Next(3);
            for (var c = 0; c < classes; c++)
            {
                probabilities[(i * classes) + c] = (float)Math.Round(random.NextDouble() + (c == labels[i] ? 0.3 : 0), 1);
            }
        }

        AssertMatchesScikitLearn(probabilities, labels, classes, compareTop5: false);
        var metrics = ClassificationMetrics.Compute(probabilities, labels, Names(classes));
        Assert.Null(metrics.PerClass[3].RocAuc);
        Assert.Null(metrics.PerClass[3].PrAuc);
        Assert.Equal(0, metrics.PerClass[3].Support);
    }

    [Fact]
    public void Thresholds_and_confident_mistakes_follow_the_hand_computed_case()
    {
        float[] probabilities =
        [
            0.9f, 0.1f, 0.0f, // true 0, right
            0.2f, 0.7f, 0.1f, // true 0, wrong with 0.7
            0.1f, 0.3f, 0.6f, // true 2, right
            0.05f, 0.0f, 0.95f, // true 1, wrong with 0.95
        ];
        int[] labels = [0, 0, 2, 1];

        var metrics = ClassificationMetrics.Compute(probabilities, labels, ["a", "b", "c"], thresholds: [0.5, 0.8, 0.99]);

        Assert.Equal(0.5, metrics.Accuracy);
        Assert.Null(metrics.Top5Accuracy);
        Assert.Equal([3, 1], metrics.ConfidentMistakes.Select(m => m.Index).ToArray());
        Assert.Equal(new ConfidentMistake(3, 1, 2, 0.95f), metrics.ConfidentMistakes[0]);
        Assert.Equal(new ConfidentMistake(1, 0, 1, 0.7f), metrics.ConfidentMistakes[1]);

        // At 0.5: four scores pass (0.9, 0.7, 0.6, 0.95), two name the true class; two of four images are found.
        Assert.Equal(new ThresholdPoint(0.5, 0.5, 0.5, 4), metrics.Thresholds[0]);
        Assert.Equal(new ThresholdPoint(0.8, 0.5, 0.25, 2), metrics.Thresholds[1]);
        Assert.Equal(new ThresholdPoint(0.99, 1.0, 0.0, 0), metrics.Thresholds[2]);
        Assert.Equal([[1, 1, 0], [0, 0, 1], [0, 0, 1]], metrics.ConfusionMatrix);

        // One-vs-rest per class: class c (scores 0.0, 0.1, 0.6, 0.95; true for the third image only) at 0.5 predicts the
        // third (right) and the fourth (wrong); at 0.8 only the fourth; at 0.99 nothing.
        Assert.Equal(
            [new ClassThresholdCounts(0.5, 1, 1), new ClassThresholdCounts(0.8, 0, 1), new ClassThresholdCounts(0.99, 0, 0)],
            metrics.ClassThresholds[2]);
        // Class a: 0.9 (true) passes 0.5 and 0.8; 0.2 (true) passes neither.
        Assert.Equal(
            [new ClassThresholdCounts(0.5, 1, 0), new ClassThresholdCounts(0.8, 1, 0), new ClassThresholdCounts(0.99, 0, 0)],
            metrics.ClassThresholds[0]);
    }

    [Fact]
    public void A_label_outside_the_classes_is_refused_naming_the_sample()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0.5f, 0.5f, 0.5f, 0.5f], [1, 2], ["a", "b"]));

        Assert.Contains("label 2 of sample 1", error.Message);
        Assert.Contains("0..1", error.Message);
    }

    [Fact]
    public void Probabilities_of_the_wrong_length_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0.5f, 0.5f, 0.5f], [1, 0], ["a", "b"]));

        Assert.Contains("expected 4", error.Message);
    }

    private static void AssertMatchesScikitLearn(float[] probabilities, int[] labels, int classes, bool compareTop5)
    {
        var metrics = ClassificationMetrics.Compute(probabilities, labels, Names(classes));
        var expected = PythonReference.Run("metrics_reference.py", new JsonObject
        {
            ["classes"] = classes,
            ["labels"] = new JsonArray(labels.Select(l => (JsonNode)l).ToArray()),
            ["probabilities"] = new JsonArray(probabilities.Select(p => (JsonNode)p).ToArray()),
            ["thresholds"] = new JsonArray(ClassificationMetrics.DefaultThresholds.Select(t => (JsonNode)t).ToArray()),
        });

        Assert.Equal(expected["accuracy"]!.GetValue<double>(), metrics.Accuracy, 12);
        if (compareTop5)
        {
            Assert.Equal(expected["top5"]!.GetValue<double>(), metrics.Top5Accuracy!.Value, 12);
        }

        for (var c = 0; c < classes; c++)
        {
            var actual = metrics.PerClass[c];
            Assert.Equal(expected["precision"]![c]!.GetValue<double>(), actual.Precision, 12);
            Assert.Equal(expected["recall"]![c]!.GetValue<double>(), actual.Recall, 12);
            Assert.Equal(expected["f1"]![c]!.GetValue<double>(), actual.F1, 12);
            Assert.Equal(expected["support"]![c]!.GetValue<int>(), actual.Support);
            AssertNullableEqual(expected["roc_auc"]![c], actual.RocAuc);
            AssertNullableEqual(expected["average_precision"]![c], actual.PrAuc);
            Assert.Equal(expected["confusion"]![c]!.AsArray().Select(v => v!.GetValue<int>()).ToArray(), metrics.ConfusionMatrix[c]);
        }

        Assert.Equal(expected["macro_f1"]!.GetValue<double>(), metrics.MacroF1, 12);
        Assert.Equal(expected["weighted_f1"]!.GetValue<double>(), metrics.WeightedF1, 12);
        for (var t = 0; t < metrics.Thresholds.Count; t++)
        {
            var point = expected["thresholds"]![t]!.AsArray();
            Assert.Equal(point[0]!.GetValue<double>(), metrics.Thresholds[t].Predictions);
            Assert.Equal(point[1]!.GetValue<double>(), metrics.Thresholds[t].Precision, 12);
            Assert.Equal(point[2]!.GetValue<double>(), metrics.Thresholds[t].Recall, 12);
        }
    }

    private static void AssertNullableEqual(JsonNode? expected, double? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.NotNull(actual);
            Assert.Equal(expected.GetValue<double>(), actual.Value, 12);
        }
    }

    private static (float[] Probabilities, int[] Labels) RandomSoftmax(int seed, int samples, int classes)
    {
        var random = new Random(seed);
        var probabilities = new float[samples * classes];
        var labels = new int[samples];
        for (var i = 0; i < samples; i++)
        {
            labels[i] = random.Next(classes);
            var logits = Enumerable.Range(0, classes).Select(c => (random.NextDouble() * 3) + (c == labels[i] ? 1.5 : 0)).ToArray();
            var max = logits.Max();
            var sum = logits.Sum(l => Math.Exp(l - max));
            for (var c = 0; c < classes; c++)
            {
                probabilities[(i * classes) + c] = (float)(Math.Exp(logits[c] - max) / sum);
            }
        }

        return (probabilities, labels);
    }

    private static string[] Names(int classes) => Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();
}
