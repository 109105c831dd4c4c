namespace AutoNet.Torch.Tests.Parity;

/// <summary>Tensor ops (arithmetic, reductions, indexing, shape, random) checked against PyTorch; see ops_table_tensor.py.</summary>
public static class OpCases
{
    private static readonly long[] S = { 3, 4, 5 };

    public static IReadOnlyList<ParityCase> All { get; } = Build();

    private static ParityCase C(string name, Action<CaseInputs> build, Func<CaseInputs, Tensor> forward) =>
        new(name, build, t => new[] { forward(t) });

    private static ParityCase Cs(string name, Action<CaseInputs> build, Func<CaseInputs, Tensor[]> forward) => new(name, build, forward);

    private static Action<CaseInputs> Ab(long[] a, long[] b) => c => c.Randn("a", a).Randn("b", b);

    private static Action<CaseInputs> A(params long[] shape) => c => c.Randn("a", shape);

    private static Tensor Rn(params long[] shape) => Torch.Randn(shape);

    private static Tensor Rd(params long[] shape) => Torch.Rand(shape);

    private static Tensor Positive(params long[] shape) => Torch.Rand(shape).Add(0.5);

    private static Tensor Ties(params long[] shape) => Torch.Randn(shape).Mul(2).Round();

    private static List<ParityCase> Build()
    {
        var l = new List<ParityCase>();
        var bcIn = Ab(new long[] { 3, 4, 5 }, new long[] { 4, 5 });
        var bc = Ab(new long[] { 3, 1, 5 }, new long[] { 4, 5 });

        // ---- arithmetic with broadcasting --------------------------------------------------------
        l.Add(C("add_broadcast", bc, t => t["a"].Add(t["b"])));
        l.Add(C("add_alpha", bc, t => t["a"].Add(t["b"], 2.5)));
        l.Add(C("sub_alpha", bc, t => t["a"].Sub(t["b"], 0.5)));
        l.Add(C("mul_broadcast", bc, t => t["a"].Mul(t["b"])));
        l.Add(C("div_broadcast", c => c.Randn("a", 3, 1, 5).Leaf("b", Positive(4, 5)), t => t["a"].Div(t["b"])));
        l.Add(C("operators", bc, t => (t["a"] + t["b"]) * t["b"] - t["a"] / 3.0));
        l.Add(C("add_scalar", A(S), t => t["a"].Add(1.5)));
        l.Add(C("sub_scalar", A(S), t => t["a"].Sub(1.5)));
        l.Add(C("mul_scalar", A(S), t => t["a"].Mul(-2.0)));
        l.Add(C("div_scalar", A(S), t => t["a"].Div(4.0)));
        l.Add(C("rsub_scalar", A(S), t => 2.0 - t["a"]));
        l.Add(C("rsub_tensor_alpha", bc, t => t["a"].Rsub(t["b"], 2.0)));
        l.Add(C("rsub_scalar_method", A(S), t => t["a"].Rsub(3.5)));
        l.Add(C("neg", A(S), t => -t["a"]));
        l.Add(C("remainder_scalar", A(S), t => t["a"].Remainder(0.7)));
        l.Add(C("maximum", bc, t => t["a"].Maximum(t["b"])));
        l.Add(C("minimum", bc, t => t["a"].Minimum(t["b"])));
        l.Add(C("long_plus_int_stays_long", c => c.Const("a", Torch.Arange(6L)), t => t["a"].Add(1)));

        // ---- dtypes: float64 throughout, promotion, integer division ------------------------------
        var f64 = (Action<CaseInputs>)(c => c.Leaf("a", Rn(3, 4, 5).To(ScalarType.Float64)).Leaf("b", Rn(4, 5).To(ScalarType.Float64)));
        l.Add(C("float64_mul_add_exp", f64, t => t["a"].Mul(t["b"]).Add(t["b"], 0.5).Exp()));
        l.Add(C("float64_matmul", c => c.Leaf("a", Rn(3, 4, 5).To(ScalarType.Float64)).Leaf("b", Rn(5, 2).To(ScalarType.Float64)), t => t["a"].MatMul(t["b"])));
        l.Add(C("float64_plus_float32_promotes", c => c.Leaf("a", Rn(3, 4).To(ScalarType.Float64)).Randn("b", 3, 4), t => t["a"].Add(t["b"])));
        l.Add(C("long_plus_float_promotes", c => c.Const("a", Torch.Arange(12L).Reshape(3, 4)).Randn("b", 3, 4), t => t["a"].Add(t["b"])));
        l.Add(C("long_div_scalar_is_true_division", c => c.Const("a", Torch.Arange(-6L, 6L)), t => t["a"].Div(4)));
        l.Add(C("long_div_long_is_true_division", c => c.Const("a", Torch.Arange(-6L, 6L)).Const("b", Torch.Full(new long[] { 12 }, 4L, ScalarType.Int64)), t => t["a"].Div(t["b"])));
        l.Add(C("bool_sum_counts_as_long", c => c.Const("m", Rn(S).Gt(0)), t => t["m"].Sum()));
        l.Add(C("sum_as_float64", A(S), t => t["a"].Sum(ScalarType.Float64)));
        l.Add(C("ops_on_transposed_input", A(S), t => t["a"].Transpose(0, 2).Exp().Mul(t["a"].Transpose(0, 2)).Sum(new long[] { 1 })));

        // ---- in-place variants (on a copy, since the inputs are leaves) --------------------------
        l.Add(C("add_inplace_alpha", bcIn, t => t["a"].Mul(1.0).Add_(t["b"], 2.0)));
        l.Add(C("sub_inplace_alpha", bcIn, t => t["a"].Mul(1.0).Sub_(t["b"], 3.0)));
        l.Add(C("mul_inplace", bcIn, t => t["a"].Mul(1.0).Mul_(t["b"])));
        l.Add(C("div_inplace", c => c.Randn("a", 3, 4, 5).Leaf("b", Positive(4, 5)), t => t["a"].Mul(1.0).Div_(t["b"])));
        l.Add(C("scalar_inplace_chain", A(S), t => t["a"].Mul(1.0).Add_(1.0).Sub_(0.25).Mul_(3.0).Div_(2.0)));
        l.Add(C("neg_exp_inplace", A(S), t => t["a"].Mul(1.0).Neg_().Exp_()));
        l.Add(C("sqrt_inplace", c => c.Leaf("a", Positive(S)), t => t["a"].Mul(1.0).Sqrt_()));
        l.Add(C("clamp_inplace", A(S), t => t["a"].Mul(1.0).Clamp_(-0.5, 0.7)));
        l.Add(C("addcmul_inplace", c => c.Randn("a", S).Randn("b", S).Randn("d", S), t => t["a"].Mul(1.0).AddCMul_(t["b"], t["d"], 0.3)));
        l.Add(C("addcdiv_inplace", c => c.Randn("a", S).Randn("b", S).Leaf("d", Positive(S)), t => t["a"].Mul(1.0).AddCDiv_(t["b"], t["d"], -0.3)));
        l.Add(C("lerp_inplace", c => c.Randn("a", S).Randn("b", S), t => t["a"].Mul(1.0).Lerp_(t["b"], 0.25)));
        l.Add(C("masked_fill_inplace", c => c.Randn("a", S).Const("m", Torch.Randn(S).Gt(0.3)), t => t["a"].Mul(1.0).MaskedFill_(t["m"], -1.5)));

        // ---- elementwise math --------------------------------------------------------------------
        l.Add(C("exp", A(S), t => t["a"].Exp()));
        l.Add(C("log", c => c.Leaf("a", Positive(S)), t => t["a"].Log()));
        l.Add(C("sqrt", c => c.Leaf("a", Positive(S)), t => t["a"].Sqrt()));
        l.Add(C("rsqrt", c => c.Leaf("a", Positive(S)), t => t["a"].Rsqrt()));
        l.Add(C("abs", A(S), t => t["a"].Abs()));
        l.Add(C("pow_scalar", A(S), t => t["a"].Pow(3.0)));
        l.Add(C("pow_fractional", c => c.Leaf("a", Positive(S)), t => t["a"].Pow(1.7)));
        l.Add(C("pow_tensor", c => c.Leaf("a", Positive(S)).Randn("b", S), t => t["a"].Pow(t["b"])));
        l.Add(C("reciprocal", c => c.Leaf("a", Positive(S)), t => t["a"].Reciprocal()));
        l.Add(C("sin_cos", A(S), t => t["a"].Sin().Add(t["a"].Cos())));
        l.Add(C("clamp_both", A(S), t => t["a"].Clamp(-0.5, 0.7)));
        l.Add(C("clamp_min", A(S), t => t["a"].Clamp(min: 0.1)));
        l.Add(C("clamp_max", A(S), t => t["a"].Clamp(max: 0.1)));
        l.Add(C("sign_floor_ceil_round", c => c.Const("a", Torch.Randn(S).Mul(3)), t => Torch.Stack(new[] { t["a"].Sign(), t["a"].Floor(), t["a"].Ceil(), t["a"].Round() })));

        // ---- matrix products ---------------------------------------------------------------------
        l.Add(C("matmul_2d", Ab(new long[] { 5, 7 }, new long[] { 7, 3 }), t => t["a"].MatMul(t["b"])));
        l.Add(C("matmul_batched_broadcast", Ab(new long[] { 2, 5, 7 }, new long[] { 7, 3 }), t => t["a"].MatMul(t["b"])));
        l.Add(C("matmul_vector", Ab(new long[] { 5, 7 }, new long[] { 7 }), t => t["a"].MatMul(t["b"])));
        l.Add(C("mm", Ab(new long[] { 4, 6 }, new long[] { 6, 2 }), t => t["a"].Mm(t["b"])));
        l.Add(C("bmm", Ab(new long[] { 3, 4, 6 }, new long[] { 3, 6, 2 }), t => t["a"].Bmm(t["b"])));

        // ---- reductions --------------------------------------------------------------------------
        l.Add(C("sum_all", A(S), t => t["a"].Sum()));
        l.Add(C("sum_dims_keepdim", A(S), t => t["a"].Sum(new long[] { 0, 2 }, keepDim: true)));
        l.Add(C("sum_dim", A(S), t => t["a"].Sum(1)));
        l.Add(C("sum_dim0_int_literal", A(S), t => t["a"].Sum(0)));
        l.Add(C("sum_dim0_int_literal_of_long", c => c.Const("a", Torch.Arange(60L).Reshape(3, 4, 5)), t => t["a"].Sum(0)));
        l.Add(C("mean_all", A(S), t => t["a"].Mean()));
        l.Add(C("mean_dim", A(S), t => t["a"].Mean(-1, keepDim: true)));
        l.Add(C("var_unbiased_all", A(S), t => t["a"].Var()));
        l.Add(C("var_biased_dims", A(S), t => t["a"].Var(new long[] { 1, 2 }, unbiased: false)));
        l.Add(C("std_unbiased_dim_keepdim", A(S), t => t["a"].Std(new long[] { 1 }, keepDim: true)));
        l.Add(C("std_all", A(S), t => t["a"].Std()));
        l.Add(C("max_all", A(S), t => t["a"].Max()));
        l.Add(C("min_all", A(S), t => t["a"].Min()));
        l.Add(Cs("max_dim", A(S), t => { var (v, i) = t["a"].Max(1); return new[] { v, i }; }));
        l.Add(Cs("min_dim_keepdim", A(S), t => { var (v, i) = t["a"].Min(2, keepDim: true); return new[] { v, i }; }));
        l.Add(C("argmax_all", A(S), t => t["a"].ArgMax()));
        l.Add(C("argmax_dim", A(S), t => t["a"].ArgMax(1)));
        l.Add(C("argmin_dim_keepdim", A(S), t => t["a"].ArgMin(0, keepDim: true)));
        l.Add(Cs("topk_largest", A(S), t => { var (v, i) = t["a"].TopK(3); return new[] { v, i }; }));
        l.Add(Cs("topk_smallest_dim1", A(S), t => { var (v, i) = t["a"].TopK(2, dim: 1, largest: false); return new[] { v, i }; }));
        l.Add(Cs("sort_ascending", A(S), t => { var (v, i) = t["a"].Sort(); return new[] { v, i }; }));
        l.Add(Cs("sort_descending_dim0", A(S), t => { var (v, i) = t["a"].Sort(0, descending: true); return new[] { v, i }; }));
        l.Add(C("cumsum", A(S), t => t["a"].CumSum(1)));
        l.Add(C("norm_2", A(S), t => t["a"].Norm()));
        l.Add(C("norm_1", A(S), t => t["a"].Norm(1)));
        l.Add(C("norm_3", A(S), t => t["a"].Norm(3)));
        l.Add(C("norm_2_dims_keepdim", A(S), t => t["a"].Norm(2, new long[] { 1, 2 }, keepDim: true)));
        l.Add(C("norm_1_dim", A(S), t => t["a"].Norm(1, new long[] { 0 })));
        l.Add(C("all_any", c => c.Const("a", Torch.Randn(S).Gt(-3)), t => Torch.Stack(new[] { t["a"].All(), t["a"].Any() })));

        // ---- comparisons and selection -----------------------------------------------------------
        var ties = (Action<CaseInputs>)(c => c.Const("a", Ties(3, 1, 5)).Const("b", Ties(4, 5)));
        l.Add(Cs("compare_tensors", ties, t => new[] { t["a"].Eq(t["b"]), t["a"].Ne(t["b"]), t["a"].Lt(t["b"]), t["a"].Le(t["b"]), t["a"].Gt(t["b"]), t["a"].Ge(t["b"]) }));
        l.Add(Cs("compare_scalar", ties, t => new[] { t["a"].Eq(1.0), t["a"].Ne(1.0), t["a"].Lt(0.0), t["a"].Le(0.0), t["a"].Gt(-1.0), t["a"].Ge(-1.0) }));
        l.Add(Cs("logical_ops", ties, t => new[] { t["a"].Gt(0.0).LogicalAnd(t["b"].Lt(1.0)), t["a"].Gt(0.0).LogicalOr(t["b"].Lt(1.0)), t["a"].Gt(0.0).LogicalNot() }));
        l.Add(C("where", c => c.Const("m", Rn(3, 1, 5).Gt(0)).Randn("a", 4, 5).Randn("b", 3, 4, 1), t => Torch.Where(t["m"], t["a"], t["b"])));
        l.Add(C("where_method", c => c.Const("m", Torch.Randn(S).Gt(0)).Randn("a", S).Randn("b", S), t => t["a"].Where(t["m"], t["b"])));
        l.Add(C("masked_fill", c => c.Randn("a", S).Const("m", Rn(1, 4, 1).Gt(0)), t => t["a"].MaskedFill(t["m"], 2.0)));
        l.Add(C("masked_select", c => c.Randn("a", S).Const("m", Torch.Randn(S).Gt(0)), t => t["a"].MaskedSelect(t["m"])));
        l.Add(C("gather", c => c.Randn("a", S).Const("i", Torch.RandInt(0, 4, new long[] { 3, 6, 5 })), t => t["a"].Gather(1, t["i"])));
        l.Add(C("index_select", c => c.Randn("a", S).Const("i", Torch.FromArray(new long[] { 4, 0, 0, 2 }, 4)), t => t["a"].IndexSelect(2, t["i"])));
        l.Add(C("scatter", c => c.Randn("a", S).Const("i", Torch.RandPerm(4).Reshape(1, 4, 1).Expand(3, 4, 2).Contiguous()).Randn("s", 3, 4, 2), t => t["a"].Scatter(1, t["i"], t["s"])));

        // ---- joins, splits and views -------------------------------------------------------------
        l.Add(C("cat_dim1", Ab(new long[] { 3, 2, 5 }, new long[] { 3, 4, 5 }), t => Torch.Cat(new[] { t["a"], t["b"], t["a"] }, 1)));
        l.Add(C("stack_dim_last", Ab(S, S), t => Torch.Stack(new[] { t["a"], t["b"] }, -1)));
        l.Add(Cs("split_size", A(3, 7, 2), t => t["a"].Split(3, 1)));
        l.Add(Cs("split_sizes", A(3, 7, 2), t => t["a"].Split(new long[] { 2, 4, 1 }, 1)));
        l.Add(Cs("chunk", A(3, 7, 2), t => t["a"].Chunk(3, 1)));
        l.Add(Cs("unbind", A(S), t => t["a"].Unbind(1)));
        l.Add(C("narrow", A(S), t => t["a"].Narrow(2, 1, 3)));
        l.Add(C("reshape", A(S), t => t["a"].Reshape(5, -1)));
        l.Add(C("view", A(S), t => t["a"].View(12, 5)));
        l.Add(C("reshape_noncontiguous", A(S), t => t["a"].Transpose(0, 2).Reshape(-1)));
        var strided = new List<ParityCase>
        {
            C("permute", A(2, 3, 4, 5), t => t["a"].Permute(2, 0, 3, 1)),
            C("transpose", A(S), t => t["a"].Transpose(0, 2)),
            C("t_2d", A(4, 6), t => t["a"].T()),
            C("flatten_middle", A(2, 3, 4, 5), t => t["a"].Flatten(1, 2)),
            C("squeeze_all", A(3, 1, 4, 1), t => t["a"].Squeeze()),
            C("squeeze_dim", A(3, 1, 4, 1), t => t["a"].Squeeze(1)),
            C("unsqueeze", A(S), t => t["a"].Unsqueeze(-1)),
            C("expand", A(3, 1, 5), t => t["a"].Expand(2, 3, 4, 5)),
            C("expand_keep", A(3, 1, 5), t => t["a"].Expand(-1, 6, -1)),
            C("select", A(S), t => t["a"].Select(1, 2)),
            C("slice_step", A(3, 9, 5), t => t["a"].Slice(1, 1, 8, 3)),
            C("contiguous_channels_last", A(2, 3, 4, 5), t => t["a"].Contiguous(MemoryFormat.ChannelsLast)),
        };
        l.AddRange(strided.Select(s => s with { CompareStrides = true }));
        l.Add(C("flip", A(S), t => t["a"].Flip(0, 2)));
        l.Add(C("roll", A(S), t => t["a"].Roll(new long[] { 2, -1 }, new long[] { 1, 2 })));
        l.Add(C("roll_single", A(S), t => t["a"].Roll(3, 0)));
        l.Add(C("repeat", A(2, 3), t => t["a"].Repeat(2, 1, 3)));
        l.Add(C("clone_alias", A(S), t => t["a"].Clone().Add(t["a"].Alias())));

        // ---- random and lookup -------------------------------------------------------------------
        var probs = (Action<CaseInputs>)(c => c.Const("p", Rd(4, 10).Add(0.05)));
        l.Add(C("multinomial_without_replacement", probs, t => Torch.Multinomial(t["p"], 6)) with { ForwardSeed = 42 });
        l.Add(C("multinomial_with_replacement", probs, t => Torch.Multinomial(t["p"], 25, replacement: true)) with { ForwardSeed = 7 });
        l.Add(C("bernoulli", probs, t => Torch.Bernoulli(t["p"].Div(2.0))) with { ForwardSeed = 9 });
        l.Add(C("randn_after_seed", c => { }, t => Torch.Randn(new long[] { 3, 4 })) with { ForwardSeed = 123 });
        l.Add(Cs("scalar_tensor_dtype_follows_the_value", c => { }, t => new[] { Torch.Scalar(true), Torch.Scalar(3), Torch.Scalar(2.5) }));
        l.Add(C("one_hot", c => c.Const("i", Torch.RandInt(0, 6, new long[] { 2, 5 })), t => Torch.OneHot(t["i"], 7)));

        // ---- torch.autograd.grad -----------------------------------------------------------------
        l.Add(Cs("autograd_grad_two_outputs_leaves_grad_untouched", c => c.Randn("a", S).Randn("b", S).Const("g1", Rn(S)).Const("g2", Rn(S)),
            t => Autograd.Grad(new[] { t["a"].Mul(t["b"]), t["a"].Exp() }, new[] { t["a"], t["b"] }, new[] { t["g1"], t["g2"] }).Select(g => g!).ToArray()));
        l.Add(C("autograd_grad_create_graph_second_derivative", A(S),
            t => Autograd.Grad(new[] { t["a"].Pow(3.0).Sum() }, new[] { t["a"] }, createGraph: true)[0]!));
        l.Add(Cs("autograd_grad_allow_unused", c => c.Randn("a", S).Randn("b", S),
            t =>
            {
                var g = Autograd.Grad(new[] { t["a"].Sin().Sum() }, new[] { t["a"], t["b"] }, allowUnused: true);
                return new[] { g[0]!, Torch.Scalar(g[1] is null) };
            }));
        l.Add(C("error_autograd_grad_unused_input", c => c.Randn("a", S).Randn("b", S),
            t => Autograd.Grad(new[] { t["a"].Sin().Sum() }, new[] { t["a"], t["b"] })[0]!) with { ExpectError = true });

        // ---- errors carry libtorch's message -----------------------------------------------------
        l.Add(C("error_inplace_on_leaf_that_requires_grad", A(S), t => t["a"].Add_(1.0)) with { ExpectError = true });
        l.Add(C("error_view_of_noncontiguous", A(S), t => t["a"].Transpose(0, 1).View(-1)) with { ExpectError = true });
        l.Add(C("error_mean_of_long", c => c.Const("a", Torch.Arange(6L)), t => t["a"].Mean()) with { ExpectError = true });
        l.Add(C("error_gather_index_out_of_range", c => c.Randn("a", 3, 5).Const("i", Torch.FromArray(new long[] { 0, 7, 1 }, 3, 1)), t => t["a"].Gather(1, t["i"])) with { ExpectError = true });
        l.Add(C("error_matmul_shape_mismatch", Ab(new long[] { 3, 5 }, new long[] { 4, 2 }), t => t["a"].MatMul(t["b"])) with { ExpectError = true });
        l.Add(C("error_add_not_broadcastable", Ab(new long[] { 3, 5 }, new long[] { 4, 5 }), t => t["a"].Add(t["b"])) with { ExpectError = true });
        return l;
    }
}
