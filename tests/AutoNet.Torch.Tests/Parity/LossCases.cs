using AutoNet.Torch.NN;
using F = AutoNet.Torch.NN.Functional;

namespace AutoNet.Torch.Tests.Parity;

/// <summary>Losses checked against PyTorch, gradients included; see ops_table_nn.py.</summary>
public static class LossCases
{
    public static IReadOnlyList<ParityCase> All { get; } = Build();

    private static ParityCase C(string name, Action<CaseInputs> build, Func<CaseInputs, Tensor> forward) =>
        new(name, build, t => new[] { forward(t) });

    private static Tensor Target(params long[] values) => Torch.FromArray(values, values.Length);

    private static List<ParityCase> Build()
    {
        var l = new List<ParityCase>();

        // 6 samples, 5 classes; sample 2 and 4 carry the ignore index 3 in the *_ignore_index cases.
        Action<CaseInputs> ce = c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 3, 1, 3, 2));
        Action<CaseInputs> ceW = c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 3, 1, 3, 2)).Const("w", Torch.Rand(new long[] { 5 }).Add(0.2));
        l.Add(C("cross_entropy_mean", ce, t => F.CrossEntropy(t["x"], t["y"])));
        l.Add(C("cross_entropy_sum", ce, t => F.CrossEntropy(t["x"], t["y"], reduction: Reduction.Sum)));
        l.Add(C("cross_entropy_none", ce, t => F.CrossEntropy(t["x"], t["y"], reduction: Reduction.None)));
        l.Add(C("cross_entropy_class_weights", ceW, t => F.CrossEntropy(t["x"], t["y"], t["w"])));
        l.Add(C("cross_entropy_class_weights_sum", ceW, t => F.CrossEntropy(t["x"], t["y"], t["w"], Reduction.Sum)));
        l.Add(C("cross_entropy_label_smoothing", ce, t => F.CrossEntropy(t["x"], t["y"], labelSmoothing: 0.1)));
        l.Add(C("cross_entropy_label_smoothing_none", ce, t => F.CrossEntropy(t["x"], t["y"], reduction: Reduction.None, labelSmoothing: 0.2)));
        l.Add(C("cross_entropy_weights_and_label_smoothing", ceW, t => F.CrossEntropy(t["x"], t["y"], t["w"], labelSmoothing: 0.15)));
        l.Add(C("cross_entropy_ignore_index", ce, t => F.CrossEntropy(t["x"], t["y"], ignoreIndex: 3)));
        l.Add(C("cross_entropy_ignore_index_none", ce, t => F.CrossEntropy(t["x"], t["y"], reduction: Reduction.None, ignoreIndex: 3)));
        l.Add(C("cross_entropy_ignore_index_weights_smoothing", ceW, t => F.CrossEntropy(t["x"], t["y"], t["w"], ignoreIndex: 3, labelSmoothing: 0.1)));
        l.Add(C("cross_entropy_spatial", c => c.Randn("x", 2, 4, 3, 3).Const("y", Torch.RandInt(0, 4, new long[] { 2, 3, 3 })), t => F.CrossEntropy(t["x"], t["y"])));
        l.Add(C("cross_entropy_probability_targets", c => c.Randn("x", 6, 5).Const("y", F.Softmax(Torch.Randn(new long[] { 6, 5 }), 1)),
            t => F.CrossEntropy(t["x"], t["y"], labelSmoothing: 0.1)));

        l.Add(C("nll_loss_mean", c => c.Leaf("x", Torch.Randn(new long[] { 6, 5 }).LogSoftmaxDetached()).Const("y", Target(0, 4, 3, 1, 3, 2)), t => F.NllLoss(t["x"], t["y"])));
        l.Add(C("nll_loss_weights_sum", c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 3, 1, 3, 2)).Const("w", Torch.Rand(new long[] { 5 }).Add(0.2)),
            t => F.NllLoss(t["x"], t["y"], t["w"], Reduction.Sum)));
        l.Add(C("nll_loss_weights_ignore_index_mean", c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 3, 1, 3, 2)).Const("w", Torch.Rand(new long[] { 5 }).Add(0.2)),
            t => F.NllLoss(t["x"], t["y"], t["w"], ignoreIndex: 3)));
        l.Add(C("nll_loss_none", c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 3, 1, 3, 2)), t => F.NllLoss(t["x"], t["y"], reduction: Reduction.None)));

        Action<CaseInputs> reg = c => c.Randn("x", 4, 3).Randn("y", 4, 3);
        l.Add(C("mse_loss_mean", reg, t => F.MseLoss(t["x"], t["y"])));
        l.Add(C("mse_loss_sum", reg, t => F.MseLoss(t["x"], t["y"], Reduction.Sum)));
        l.Add(C("mse_loss_none", reg, t => F.MseLoss(t["x"], t["y"], Reduction.None)));

        Action<CaseInputs> bce = c => c.Randn("x", 4, 3).Leaf("y", Torch.Rand(new long[] { 4, 3 }));
        l.Add(C("bce_with_logits_mean", bce, t => F.BinaryCrossEntropyWithLogits(t["x"], t["y"])));
        l.Add(C("bce_with_logits_sum", bce, t => F.BinaryCrossEntropyWithLogits(t["x"], t["y"], reduction: Reduction.Sum)));
        l.Add(C("bce_with_logits_none", bce, t => F.BinaryCrossEntropyWithLogits(t["x"], t["y"], reduction: Reduction.None)));
        l.Add(C("bce_with_logits_weight", c => c.Randn("x", 4, 3).Const("y", Torch.Rand(new long[] { 4, 3 }).Gt(0.5).Float()).Const("w", Torch.Rand(new long[] { 3 })),
            t => F.BinaryCrossEntropyWithLogits(t["x"], t["y"], t["w"])));
        l.Add(C("bce_with_logits_large_logits", c => c.Leaf("x", Torch.Randn(new long[] { 4, 3 }).Mul(40)).Const("y", Torch.Rand(new long[] { 4, 3 })),
            t => F.BinaryCrossEntropyWithLogits(t["x"], t["y"])));

        // ---- errors carry libtorch's message -----------------------------------------------------
        l.Add(C("error_cross_entropy_int32_target", c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 3, 1, 3, 2).To(ScalarType.Int32)),
            t => F.CrossEntropy(t["x"], t["y"])) with { ExpectError = true });
        l.Add(C("error_cross_entropy_target_out_of_range", c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 5, 1, 3, 2)),
            t => F.CrossEntropy(t["x"], t["y"])) with { ExpectError = true });
        l.Add(C("error_cross_entropy_batch_mismatch", c => c.Randn("x", 6, 5).Const("y", Target(0, 4, 3)),
            t => F.CrossEntropy(t["x"], t["y"])) with { ExpectError = true });
        l.Add(C("error_mse_loss_shape_mismatch", c => c.Randn("x", 4, 3).Randn("y", 5, 3), t => F.MseLoss(t["x"], t["y"])) with { ExpectError = true });
        return l;
    }

    private static Tensor LogSoftmaxDetached(this Tensor x) => F.LogSoftmax(x, 1);
}
