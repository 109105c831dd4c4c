// Tensor lifetime, creation, data transfer, properties and autograd.
#include "atn_common.h"

#include <cstring>

namespace {
at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index, int32_t requires_grad) {
    return at::TensorOptions()
        .dtype(static_cast<at::ScalarType>(dtype))
        .device(atn_device(device_type, device_index))
        .requires_grad(requires_grad != 0);
}
}  // namespace

ATN_API void ATNTensor_dispose(ATNTensor t) { delete t; }

// ---- creation ---------------------------------------------------------------------------------

ATN_API ATNTensor ATNTensor_empty(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg) {
    return atn_new([&] { return at::empty(atn_ints(shape, ndim), options(dtype, dev, idx, rg)); });
}

ATN_API ATNTensor ATNTensor_zeros(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg) {
    return atn_new([&] { return at::zeros(atn_ints(shape, ndim), options(dtype, dev, idx, rg)); });
}

ATN_API ATNTensor ATNTensor_ones(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg) {
    return atn_new([&] { return at::ones(atn_ints(shape, ndim), options(dtype, dev, idx, rg)); });
}

ATN_API ATNTensor ATNTensor_full(const int64_t* shape, int64_t ndim, ATNScalar value, int32_t dtype, int32_t dev, int32_t idx,
                                 int32_t rg) {
    return atn_new([&] { return at::full(atn_ints(shape, ndim), atn_scalar(value), options(dtype, dev, idx, rg)); });
}

ATN_API ATNTensor ATNTensor_arange(ATNScalar start, ATNScalar end, ATNScalar step, int32_t dtype, int32_t dev, int32_t idx,
                                   int32_t rg) {
    return atn_new([&] {
        return at::arange(atn_scalar(start), atn_scalar(end), atn_scalar(step), options(dtype, dev, idx, rg));
    });
}

ATN_API ATNTensor ATNTensor_randn(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg) {
    return atn_new([&] { return at::randn(atn_ints(shape, ndim), options(dtype, dev, idx, rg)); });
}

ATN_API ATNTensor ATNTensor_rand(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg) {
    return atn_new([&] { return at::rand(atn_ints(shape, ndim), options(dtype, dev, idx, rg)); });
}

ATN_API ATNTensor ATNTensor_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev,
                                    int32_t idx) {
    return atn_new([&] { return at::randint(low, high, atn_ints(shape, ndim), options(dtype, dev, idx, 0)); });
}

ATN_API ATNTensor ATNTensor_randperm(int64_t n, int32_t dtype, int32_t dev, int32_t idx) {
    return atn_new([&] { return at::randperm(n, options(dtype, dev, idx, 0)); });
}

// Copies `byte_length` bytes of host memory into a new CPU tensor of the given shape and dtype.
ATN_API ATNTensor ATNTensor_from_blob_copy(const void* data, int64_t byte_length, const int64_t* shape, int64_t ndim,
                                           int32_t dtype) {
    return atn_new([&] {
        auto result = at::empty(atn_ints(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
        int64_t expected = result.numel() * static_cast<int64_t>(result.element_size());
        if (expected != byte_length)
            throw std::invalid_argument("data has " + std::to_string(byte_length) + " bytes but shape " +
                                        c10::str(result.sizes()) + " of " + c10::toString(result.scalar_type()) +
                                        " needs " + std::to_string(expected));
        if (byte_length > 0) std::memcpy(result.data_ptr(), data, static_cast<size_t>(byte_length));
        return result;
    });
}

// Copies a tensor's elements (any device, any layout) into host memory of exactly the right size.
ATN_API int32_t ATNTensor_copy_to_host(ATNTensor t, void* data, int64_t byte_length) {
    return atn_do([&] {
        auto cpu = t->detach().to(at::kCPU).contiguous();
        int64_t needed = cpu.numel() * static_cast<int64_t>(cpu.element_size());
        if (needed != byte_length)
            throw std::invalid_argument("destination has " + std::to_string(byte_length) + " bytes but the tensor needs " +
                                        std::to_string(needed));
        if (needed > 0) std::memcpy(data, cpu.data_ptr(), static_cast<size_t>(needed));
    });
}

// Raw pointer to a contiguous CPU tensor's storage (for zero-copy reads by the managed side).
ATN_API void* ATNTensor_data_ptr(ATNTensor t) {
    try {
        if (!t->is_contiguous()) throw std::invalid_argument("data_ptr needs a contiguous tensor");
        if (!t->device().is_cpu()) throw std::invalid_argument("data_ptr needs a CPU tensor");
        return t->data_ptr();
    }
    ATN_CATCH(return nullptr)
}

ATN_API int32_t ATNTensor_item(ATNTensor t, ATNScalar* out) {
    return atn_do([&] {
        at::Scalar s = t->item();
        if (s.isIntegral(false)) {
            out->kind = 1;
            out->i = s.toLong();
            out->d = static_cast<double>(out->i);
        } else if (s.isBoolean()) {
            out->kind = 2;
            out->i = s.toBool() ? 1 : 0;
            out->d = static_cast<double>(out->i);
        } else {
            out->kind = 0;
            out->d = s.toDouble();
            out->i = static_cast<int64_t>(out->d);
        }
    });
}

// ---- properties -------------------------------------------------------------------------------

ATN_API int64_t ATNTensor_ndim(ATNTensor t) { return t->dim(); }

ATN_API int32_t ATNTensor_shape(ATNTensor t, int64_t* out) {
    auto sizes = t->sizes();
    for (size_t i = 0; i < sizes.size(); ++i) out[i] = sizes[i];
    return 0;
}

ATN_API int32_t ATNTensor_strides(ATNTensor t, int64_t* out) {
    return atn_do([&] {
        auto strides = t->strides();
        for (size_t i = 0; i < strides.size(); ++i) out[i] = strides[i];
    });
}

ATN_API int64_t ATNTensor_numel(ATNTensor t) { return t->numel(); }

ATN_API int32_t ATNTensor_dtype(ATNTensor t) { return static_cast<int32_t>(t->scalar_type()); }

ATN_API int32_t ATNTensor_device_type(ATNTensor t) { return static_cast<int32_t>(t->device().type()); }

ATN_API int32_t ATNTensor_device_index(ATNTensor t) { return t->device().has_index() ? t->device().index() : 0; }

ATN_API int32_t ATNTensor_is_contiguous(ATNTensor t, int32_t memory_format) {
    return t->is_contiguous(static_cast<at::MemoryFormat>(memory_format)) ? 1 : 0;
}

ATN_API int32_t ATNTensor_defined(ATNTensor t) { return t->defined() ? 1 : 0; }

// ---- conversion -------------------------------------------------------------------------------

ATN_API ATNTensor ATNTensor_to(ATNTensor t, int32_t dtype, int32_t dev, int32_t idx, int32_t non_blocking, int32_t copy) {
    return atn_new([&] {
        return t->to(atn_device(dev, idx), static_cast<at::ScalarType>(dtype), non_blocking != 0, copy != 0);
    });
}

ATN_API ATNTensor ATNTensor_contiguous(ATNTensor t, int32_t memory_format) {
    return atn_new([&] { return t->contiguous(static_cast<at::MemoryFormat>(memory_format)); });
}

ATN_API ATNTensor ATNTensor_pin_memory(ATNTensor t) { return atn_new([&] { return t->pin_memory(); }); }

ATN_API ATNTensor ATNTensor_clone(ATNTensor t) { return atn_new([&] { return t->clone(); }); }

ATN_API ATNTensor ATNTensor_alias(ATNTensor t) { return atn_new([&] { return *t; }); }

ATN_API int32_t ATNTensor_copy_(ATNTensor dst, ATNTensor src, int32_t non_blocking) {
    return atn_do([&] { dst->copy_(*src, non_blocking != 0); });
}

// Replaces the tensor's data (device, dtype, storage) while keeping its identity, so modules can move
// parameters that optimizers already hold, as PyTorch's `param.data = ...` does.
ATN_API int32_t ATNTensor_set_data(ATNTensor t, ATNTensor data) {
    return atn_do([&] { t->set_data(*data); });
}

// ---- autograd ---------------------------------------------------------------------------------

ATN_API int32_t ATNTensor_requires_grad(ATNTensor t) { return t->requires_grad() ? 1 : 0; }

ATN_API int32_t ATNTensor_set_requires_grad(ATNTensor t, int32_t value) {
    return atn_do([&] { t->set_requires_grad(value != 0); });
}

ATN_API int32_t ATNTensor_is_leaf(ATNTensor t) { return t->is_leaf() ? 1 : 0; }

// The gradient, or null with no error when there is none yet.
ATN_API ATNTensor ATNTensor_grad(ATNTensor t) {
    try {
        const at::Tensor& g = t->grad();
        return g.defined() ? new at::Tensor(g) : nullptr;
    }
    ATN_CATCH(return nullptr)
}

ATN_API int32_t ATNTensor_set_grad(ATNTensor t, ATNTensor grad) {
    return atn_do([&] { t->mutable_grad() = grad == nullptr ? at::Tensor() : *grad; });
}

ATN_API int32_t ATNTensor_zero_grad(ATNTensor t, int32_t set_to_none) {
    return atn_do([&] {
        auto& g = t->mutable_grad();
        if (!g.defined()) return;
        if (set_to_none != 0) {
            g = at::Tensor();
        } else {
            g = g.detach();
            g.zero_();
        }
    });
}

ATN_API int32_t ATNTensor_backward(ATNTensor t, ATNTensor grad, int32_t retain_graph, int32_t create_graph) {
    return atn_do([&] {
        at::Tensor gradient = grad == nullptr ? at::Tensor() : *grad;
        t->backward(gradient, retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt, create_graph != 0);
    });
}

ATN_API ATNTensor ATNTensor_detach(ATNTensor t) { return atn_new([&] { return t->detach(); }); }

ATN_API int32_t ATNTensor_detach_(ATNTensor t) { return atn_do([&] { t->detach_(); }); }

// Gradients of outputs with respect to inputs without touching .grad (torch.autograd.grad).
ATN_API int64_t ATNAutograd_grad(const ATNTensor* outputs, int64_t n_outputs, const ATNTensor* grad_outputs,
                                 const ATNTensor* inputs, int64_t n_inputs, int32_t retain_graph, int32_t create_graph,
                                 int32_t allow_unused, ATNTensor** out) {
    return atn_list(out, [&] {
        std::vector<at::Tensor> grads;
        if (grad_outputs != nullptr) grads = atn_tensors(grad_outputs, n_outputs);
        auto result = torch::autograd::grad(atn_tensors(outputs, n_outputs), atn_tensors(inputs, n_inputs), grads,
                                            retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt,
                                            create_graph != 0, allow_unused != 0);
        return result;
    });
}
