using AutoNet.Torch.NN;

namespace AutoNet.Torch.Tests;

/// <summary>The Module contract: traversal, loading state with checks, train/eval, conversions that keep identities.</summary>
public sealed class ModuleTests
{
    private static Sequential SmallModel() => new(new Conv2d(2, 4, 3), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 3 * 3, 2));

    [Fact]
    public void Traversal_names_children_modules_parameters_and_buffers_hierarchically()
    {
        using var scope = Torch.NewDisposeScope();
        using var model = new Sequential(new Sequential(new Linear(3, 2)), new BatchNorm1d(2));
        Assert.Equal(new[] { "0", "1" }, model.NamedChildren().Select(c => c.Key));
        Assert.Equal(new[] { "", "0", "0.0", "1" }, model.NamedModules().Select(m => m.Key));
        Assert.Equal(new[] { "0.0.weight", "0.0.bias", "1.weight", "1.bias" }, model.NamedParameters().Select(p => p.Key));
        Assert.Equal(new[] { "1.running_mean", "1.running_var", "1.num_batches_tracked" }, model.NamedBuffers().Select(b => b.Key));
        Assert.Equal(6 + 2 + 2 + 2, model.ParameterCount());
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(model.Buffers(), b => Assert.False(b.RequiresGrad));

        var visited = new List<string>();
        model.Apply(m => visited.Add(m.GetType().Name));
        Assert.Equal(new[] { "Linear", "Sequential", "BatchNorm1d", "Sequential" }, visited);
    }

    [Fact]
    public void Load_state_dict_copies_values_in_place_into_the_same_tensors()
    {
        using var scope = Torch.NewDisposeScope();
        using var source = SmallModel();
        using var target = SmallModel();
        var before = target.Parameters().ToList();
        target.LoadStateDict(source.StateDict());
        Assert.Equal(before, target.Parameters());
        foreach (var (key, value) in source.StateDict())
        {
            Assert.True(value.Equal(target.StateDict()[key]), key);
        }
    }

    [Fact]
    public void Load_state_dict_names_missing_and_unexpected_keys_and_loads_nothing()
    {
        using var scope = Torch.NewDisposeScope();
        using var model = SmallModel();
        var original = model.StateDict()["0.weight"].Clone();
        var state = model.StateDict().ToDictionary(p => p.Key, p => Torch.ZerosLike(p.Value));
        state.Remove("1.running_var");
        state["4.scale"] = Torch.Zeros(new long[] { 2 });
        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("missing keys: \"1.running_var\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected keys: \"4.scale\"", error.Message, StringComparison.Ordinal);
        Assert.True(original.Equal(model.StateDict()["0.weight"]));

        // Not strict: the keys present load, the others are left alone.
        model.LoadStateDict(state, strict: false);
        Assert.Equal(0f, model.StateDict()["0.weight"].Abs().Sum().Item<float>());
        Assert.Equal(new float[] { 1, 1, 1, 1 }, model.StateDict()["1.running_var"].ToArray<float>());
    }

    [Fact]
    public void Load_state_dict_names_the_key_whose_shape_differs_even_when_not_strict()
    {
        using var scope = Torch.NewDisposeScope();
        using var model = SmallModel();
        var state = model.StateDict().ToDictionary(p => p.Key, p => p.Value.Clone());
        state["4.weight"] = Torch.Zeros(new long[] { 3, 36 });
        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state, strict: false));
        Assert.Contains("size mismatch for \"4.weight\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 36]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 36]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_and_eval_switch_dropout_and_batchnorm_in_every_descendant()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(5);
        using var model = new Sequential(new Sequential(new Dropout(0.5)), new BatchNorm1d(3));
        Assert.All(model.Modules(), m => Assert.True(m.IsTraining));
        var x = Torch.Randn(new long[] { 200, 3 }).Mul(3).Add(2);

        var dropped = model[0].Forward(x);
        Assert.InRange(dropped.Eq(0).Sum().Item<long>(), 200, 400); // dropout zeroes about half of the 600 elements
        model.Forward(x);
        Assert.Equal(1L, ((BatchNorm1d)model[1]).NumBatchesTracked!.Item<long>());
        var runningMean = ((BatchNorm1d)model[1]).RunningMean!.Clone();
        Assert.True(runningMean.Abs().Sum().Item<float>() > 0.1f);

        model.Eval();
        Assert.All(model.Modules(), m => Assert.False(m.IsTraining));
        Assert.True(model[0].Forward(x).Equal(x));
        var first = model.Forward(x);
        var second = model.Forward(x);
        Assert.True(first.Equal(second));
        Assert.True(runningMean.Equal(((BatchNorm1d)model[1]).RunningMean!));
        Assert.Equal(1L, ((BatchNorm1d)model[1]).NumBatchesTracked!.Item<long>());

        // Eval normalises with the running statistics, not the batch's: the output is not zero-mean.
        Assert.True(first.Mean(0).Abs().Max().Item<float>() > 0.5f);
        model.Train();
        Assert.All(model.Modules(), m => Assert.True(m.IsTraining));
    }

    [Fact]
    public void To_a_dtype_keeps_the_parameter_objects_and_their_gradients_and_leaves_integer_buffers()
    {
        using var scope = Torch.NewDisposeScope();
        using var model = SmallModel();
        var parameters = model.Parameters().ToList();
        using (var y = model.Forward(Torch.Randn(new long[] { 2, 2, 5, 5 })))
        {
            y.Sum().Backward();
        }

        model.To(ScalarType.Float64);
        Assert.Equal(parameters, model.Parameters());
        Assert.All(model.Parameters(), p => Assert.Equal(ScalarType.Float64, p.DType));
        Assert.All(model.Parameters(), p => Assert.Equal(ScalarType.Float64, p.Grad!.DType));
        Assert.Equal(ScalarType.Float64, model.StateDict()["1.running_mean"].DType);
        Assert.Equal(ScalarType.Int64, model.StateDict()["1.num_batches_tracked"].DType);
        using var output = model.Forward(Torch.Randn(new long[] { 2, 2, 5, 5 }, ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, output.DType);
        Assert.Throws<ArgumentException>(() => model.To(ScalarType.Int32));

        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Registering_a_name_twice_or_with_a_dot_is_refused()
    {
        using var scope = Torch.NewDisposeScope();
        using var dict = new ModuleDict();
        dict.Add("stem", new ReLU());
        Assert.Throws<ArgumentException>(() => dict.Add("stem", new ReLU()));
        Assert.Throws<ArgumentException>(() => dict.Add("a.b", new ReLU()));
        Assert.Throws<NotSupportedException>(() => dict.Forward(Torch.Zeros(new long[] { 1 })));
        var error = Assert.Throws<KeyNotFoundException>(() => dict["head"]);
        Assert.Contains("stem", error.Message, StringComparison.Ordinal);
    }
}
