namespace AutoNet.Torch.Tests;

[Collection(LiveTensorCollection.Name)]
public sealed class DisposeScopeTests
{
    [Fact]
    public void Scope_frees_every_tensor_created_inside_it()
    {
        var before = Tensor.LiveCount;
        using (Torch.NewDisposeScope())
        {
            var x = Torch.Randn(new long[] { 10, 10 });
            _ = NN.Functional.Relu(x * 2 + 1);
            Assert.True(Tensor.LiveCount >= before + 3);
        }

        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Moved_tensor_survives_its_scope_and_dies_with_the_outer_one()
    {
        var before = Tensor.LiveCount;
        using (Torch.NewDisposeScope())
        {
            Tensor kept;
            using (Torch.NewDisposeScope())
            {
                var x = Torch.Ones(new long[] { 3 });
                kept = (x + x).MoveToOuterDisposeScope();
            }

            Assert.False(kept.IsDisposed);
            Assert.Equal(6f, kept.Sum().Item<float>());
        }

        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Detached_tensor_is_owned_by_the_caller()
    {
        Tensor kept;
        using (Torch.NewDisposeScope())
        {
            kept = Torch.Ones(new long[] { 3 }).DetachFromDisposeScope();
        }

        Assert.False(kept.IsDisposed);
        kept.Dispose();
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void A_tensor_left_to_the_garbage_collector_still_counts_as_leaked()
    {
        var before = Tensor.LiveCount;
        LeakOne();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // The finalizer freed the native memory, but nobody disposed it: a leak test must still see it.
        Assert.Equal(before + 1, Tensor.LiveCount);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void LeakOne() => _ = Torch.Ones(new long[] { 2 }).DetachFromDisposeScope();
}
