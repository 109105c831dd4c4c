using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary>Views and reshaping, joining and splitting, selection and indexing.</summary>
public sealed unsafe partial class Tensor
{
    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return new(ATNTensor_reshape(Handle, p, shape.Length));
        }
    }

    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return new(ATNTensor_view(Handle, p, shape.Length));
        }
    }

    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* p = dims)
        {
            return new(ATNTensor_permute(Handle, p, dims.Length));
        }
    }

    public unsafe Tensor Expand(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return new(ATNTensor_expand(Handle, p, shape.Length));
        }
    }

    public unsafe Tensor Repeat(params long[] repeats)
    {
        fixed (long* p = repeats)
        {
            return new(ATNTensor_repeat(Handle, p, repeats.Length));
        }
    }

    public unsafe Tensor Flip(params long[] dims)
    {
        fixed (long* p = dims)
        {
            return new(ATNTensor_flip(Handle, p, dims.Length));
        }
    }

    public unsafe Tensor Roll(long[] shifts, long[] dims)
    {
        fixed (long* s = shifts)
        fixed (long* d = dims)
        {
            return new(ATNTensor_roll(Handle, s, shifts.Length, d, dims.Length));
        }
    }

    public Tensor Roll(long shift, long dim) => Roll(new[] { shift }, new[] { dim });

    public Tensor Transpose(long dim0, long dim1) => new(ATNTensor_transpose(Handle, dim0, dim1));

    /// <summary>Matrix transpose of a 2-D tensor (PyTorch's <c>.t()</c>).</summary>
    public Tensor T() => Transpose(0, 1);

    public Tensor Flatten(long startDim = 0, long endDim = -1) => new(ATNTensor_flatten(Handle, startDim, endDim));

    public Tensor Squeeze() => new(ATNTensor_squeeze(Handle));

    public Tensor Squeeze(long dim) => new(ATNTensor_squeeze_dim(Handle, dim));

    public Tensor Unsqueeze(long dim) => new(ATNTensor_unsqueeze(Handle, dim));

    public Tensor Narrow(long dim, long start, long length) => new(ATNTensor_narrow(Handle, dim, start, length));

    public Tensor Select(long dim, long index) => new(ATNTensor_select(Handle, dim, index));

    public Tensor Slice(long dim, long start, long end, long step = 1) => new(ATNTensor_slice(Handle, dim, start, end, step));

    /// <summary>The sub-tensor at <paramref name="index"/> along the first dimension.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[long index] => Select(0, index);

    public unsafe Tensor[] Split(long splitSize, long dim = 0)
    {
        IntPtr* list;
        var count = ATNTensor_split(Handle, splitSize, dim, &list);
        return FromList(count, list);
    }

    public unsafe Tensor[] Split(long[] sizes, long dim = 0)
    {
        IntPtr* list;
        long count;
        fixed (long* p = sizes)
        {
            count = ATNTensor_split_sizes(Handle, p, sizes.Length, dim, &list);
        }

        return FromList(count, list);
    }

    public unsafe Tensor[] Chunk(long chunks, long dim = 0)
    {
        IntPtr* list;
        var count = ATNTensor_chunk(Handle, chunks, dim, &list);
        return FromList(count, list);
    }

    public unsafe Tensor[] Unbind(long dim = 0)
    {
        IntPtr* list;
        var count = ATNTensor_unbind(Handle, dim, &list);
        return FromList(count, list);
    }

    public Tensor Where(Tensor condition, Tensor other) => new(ATNTensor_where(condition.Handle, Handle, other.Handle));

    public Tensor MaskedFill(Tensor mask, Scalar value) => new(ATNTensor_masked_fill(Handle, mask.Handle, value.Native));

    public Tensor MaskedFill_(Tensor mask, Scalar value) => InPlace(ATNTensor_masked_fill_(Handle, mask.Handle, value.Native));

    public Tensor MaskedSelect(Tensor mask) => new(ATNTensor_masked_select(Handle, mask.Handle));

    public Tensor Gather(long dim, Tensor index) => new(ATNTensor_gather(Handle, dim, index.Handle));

    public Tensor Scatter(long dim, Tensor index, Tensor source) => new(ATNTensor_scatter(Handle, dim, index.Handle, source.Handle));

    public Tensor IndexSelect(long dim, Tensor index) => new(ATNTensor_index_select(Handle, dim, index.Handle));

    public Tensor Uniform_(double from = 0, double to = 1) => InPlace(ATNTensor_uniform_(Handle, from, to));

    public Tensor Normal_(double mean = 0, double std = 1) => InPlace(ATNTensor_normal_(Handle, mean, std));

    public Tensor Bernoulli_(double p) => InPlace(ATNTensor_bernoulli_(Handle, p));
}
