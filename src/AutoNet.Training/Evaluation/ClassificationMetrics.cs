namespace AutoNet.Training.Evaluation;

/// <summary>
/// Everything an evaluation reports about a classifier on a labelled set, computed from its class probabilities:
/// accuracy, top-5 accuracy (when there are more than 5 classes), per-class precision/recall/F1 and one-vs-rest
/// ROC and PR AUC, macro and weighted averages, the confusion matrix (rows: true class, columns: predicted),
/// precision/recall at confidence thresholds, and the most confident mistakes.
/// </summary>
public sealed class ClassificationMetrics
{
    /// <summary>The thresholds of <see cref="Thresholds"/>: 0.00, 0.05, …, 1.00.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = Enumerable.Range(0, 21).Select(i => i / 20.0).ToArray();

    private ClassificationMetrics(int count, double accuracy, double? top5Accuracy, IReadOnlyList<ClassMetrics> perClass,
        int[][] confusionMatrix, IReadOnlyList<ThresholdPoint> thresholds, IReadOnlyList<ConfidentMistake> mistakes,
        IReadOnlyList<IReadOnlyList<ClassThresholdCounts>> classThresholds)
    {
        ClassThresholds = classThresholds;
        Count = count;
        Accuracy = accuracy;
        Top5Accuracy = top5Accuracy;
        PerClass = perClass;
        ConfusionMatrix = confusionMatrix;
        Thresholds = thresholds;
        ConfidentMistakes = mistakes;
        MacroF1 = perClass.Average(c => c.F1);
        var support = perClass.Sum(c => c.Support);
        WeightedF1 = support == 0 ? 0 : perClass.Sum(c => c.F1 * c.Support) / support;
        MacroPrecision = perClass.Average(c => c.Precision);
        MacroRecall = perClass.Average(c => c.Recall);
    }

    public int Count { get; }

    public double Accuracy { get; }

    /// <summary>Share of samples whose true class is among the five most probable; <c>null</c> with 5 classes or fewer.</summary>
    public double? Top5Accuracy { get; }

    public IReadOnlyList<ClassMetrics> PerClass { get; }

    public double MacroPrecision { get; }

    public double MacroRecall { get; }

    public double MacroF1 { get; }

    public double WeightedF1 { get; }

    /// <summary>[true class][predicted class] counts.</summary>
    public int[][] ConfusionMatrix { get; }

    public IReadOnlyList<ThresholdPoint> Thresholds { get; }

    /// <summary>
    /// Per class (in class order), one-vs-rest counts at each of the thresholds of <see cref="Thresholds"/>: the class's
    /// precision/recall and ROC curves at those points (the dashboard draws them under its threshold slider).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ClassThresholdCounts>> ClassThresholds { get; }

    /// <summary>Wrong predictions, the most confident first.</summary>
    public IReadOnlyList<ConfidentMistake> ConfidentMistakes { get; }

    /// <summary>
    /// Computes the metrics from row-major probabilities (<paramref name="labels"/>.Length rows of
    /// <paramref name="classNames"/>.Count columns). The predicted class is the most probable one (the first on ties).
    /// </summary>
    public static ClassificationMetrics Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, IReadOnlyList<string> classNames,
        int mistakesToKeep = 20, IReadOnlyList<double>? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var k = classNames.Count;
        var n = labels.Length;
        if (k < 2)
        {
            throw new ArgumentException($"{k} class names; a classifier needs at least 2 classes", nameof(classNames));
        }

        if (n == 0)
        {
            throw new ArgumentException("no samples to evaluate", nameof(labels));
        }

        if (probabilities.Length != (long)n * k)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities for {n} samples × {k} classes; expected {(long)n * k}", nameof(probabilities));
        }

        var confusion = new int[k][];
        for (var c = 0; c < k; c++)
        {
            confusion[c] = new int[k];
        }

        var predicted = new int[n];
        var top5Hits = 0;
        var mistakes = new List<ConfidentMistake>();
        for (var i = 0; i < n; i++)
        {
            var label = labels[i];
            if (label < 0 || label >= k)
            {
                throw new ArgumentException($"label {label} of sample {i} is outside 0..{k - 1}", nameof(labels));
            }

            var row = probabilities.Slice(i * k, k);
            var best = 0;
            var above = 0;
            for (var c = 0; c < k; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }

                // Classes ranked ahead of the true one: strictly more probable, or equally probable with a lower index.
                if (row[c] > row[label] || (row[c] == row[label] && c < label))
                {
                    above++;
                }
            }

            predicted[i] = best;
            confusion[label][best]++;
            top5Hits += above < 5 ? 1 : 0;
            if (best != label)
            {
                mistakes.Add(new ConfidentMistake(i, label, best, row[best]));
            }
        }

        var perClass = new ClassMetrics[k];
        var scores = new double[n];
        var positive = new bool[n];
        for (var c = 0; c < k; c++)
        {
            var truePositives = confusion[c][c];
            var support = confusion[c].Sum();
            var predictedCount = 0;
            for (var t = 0; t < k; t++)
            {
                predictedCount += confusion[t][c];
            }

            var precision = predictedCount == 0 ? 0 : (double)truePositives / predictedCount;
            var recall = support == 0 ? 0 : (double)truePositives / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            for (var i = 0; i < n; i++)
            {
                scores[i] = probabilities[(i * k) + c];
                positive[i] = labels[i] == c;
            }

            perClass[c] = new ClassMetrics(classNames[c], precision, recall, f1, support,
                RankingMetrics.RocAuc(scores, positive), RankingMetrics.AveragePrecision(scores, positive));
        }

        var correct = 0;
        for (var c = 0; c < k; c++)
        {
            correct += confusion[c][c];
        }

        var thresholdList = thresholds ?? DefaultThresholds;
        var points = new ThresholdPoint[thresholdList.Count];
        for (var t = 0; t < points.Length; t++)
        {
            points[t] = AtThreshold(probabilities, labels, k, thresholdList[t]);
        }

        var worst = mistakes.OrderByDescending(m => m.Confidence).ThenBy(m => m.Index).Take(Math.Max(0, mistakesToKeep)).ToArray();
        return new ClassificationMetrics(n, (double)correct / n, k > 5 ? (double)top5Hits / n : null, perClass, confusion, points, worst,
            ClassCounts(probabilities, labels, k, thresholdList));
    }

    private static IReadOnlyList<ClassThresholdCounts>[] ClassCounts(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int k, IReadOnlyList<double> thresholds)
    {
        var result = new IReadOnlyList<ClassThresholdCounts>[k];
        for (var c = 0; c < k; c++)
        {
            var counts = new ClassThresholdCounts[thresholds.Count];
            for (var t = 0; t < thresholds.Count; t++)
            {
                // In single precision, as the micro-averaged points are compared.
                var cut = (float)thresholds[t];
                int truePositives = 0, falsePositives = 0;
                for (var i = 0; i < labels.Length; i++)
                {
                    if (probabilities[(i * k) + c] >= cut)
                    {
                        if (labels[i] == c)
                        {
                            truePositives++;
                        }
                        else
                        {
                            falsePositives++;
                        }
                    }
                }

                counts[t] = new ClassThresholdCounts(thresholds[t], truePositives, falsePositives);
            }

            result[c] = counts;
        }

        return result;
    }

    private static ThresholdPoint AtThreshold(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int k, double threshold)
    {
        // Compared in single precision, as the probabilities are: a score printed as 0.7 passes the 0.7 threshold.
        var cut = (float)threshold;
        int predictions = 0, hits = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            for (var c = 0; c < k; c++)
            {
                if (probabilities[(i * k) + c] >= cut)
                {
                    predictions++;
                    hits += labels[i] == c ? 1 : 0;
                }
            }
        }

        // With nothing predicted, precision is taken as 1 (no wrong prediction was made), as curves conventionally end.
        var precision = predictions == 0 ? 1.0 : (double)hits / predictions;
        return new ThresholdPoint(threshold, precision, (double)hits / labels.Length, predictions);
    }
}
