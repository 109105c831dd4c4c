// Shared by every translation unit of the native library (and precompiled).
// The C ABI: opaque handles, arrays as (pointer, length), no C++ exception ever crosses it.
#pragma once

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/variable.h>

#include <cstdint>
#include <string>
#include <vector>

#define ATN_API extern "C" __attribute__((visibility("default")))

// Bumped whenever an exported signature changes; the managed side refuses a mismatched library.
#define ATN_ABI_VERSION 1

typedef at::Tensor* ATNTensor;

// A scalar crossing the boundary keeps its kind, so `long_tensor + 1` stays integral.
typedef struct {
    int64_t i;
    double d;
    int32_t kind;  // 0 = floating, 1 = integer, 2 = boolean
} ATNScalar;

void atn_set_error(const char* message);
void atn_clear_error();

inline at::Scalar atn_scalar(ATNScalar s) {
    switch (s.kind) {
        case 1: return at::Scalar(s.i);
        case 2: return at::Scalar(s.i != 0);
        default: return at::Scalar(s.d);
    }
}

inline c10::Device atn_device(int32_t type, int32_t index) {
    return c10::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}

inline at::IntArrayRef atn_ints(const int64_t* values, int64_t length) {
    return at::IntArrayRef(values, static_cast<size_t>(length));
}

inline std::vector<at::Tensor> atn_tensors(const ATNTensor* handles, int64_t length) {
    std::vector<at::Tensor> result;
    result.reserve(static_cast<size_t>(length));
    for (int64_t i = 0; i < length; ++i) result.push_back(*handles[i]);
    return result;
}

// An optional tensor argument is a null handle.
inline c10::optional<at::Tensor> atn_optional(ATNTensor handle) {
    if (handle == nullptr) return c10::nullopt;
    return *handle;
}

#define ATN_CATCH(on_error)                                                  \
    catch (const c10::Error& e) {                                            \
        atn_set_error(e.what_without_backtrace());                           \
        on_error;                                                            \
    }                                                                        \
    catch (const std::exception& e) {                                        \
        atn_set_error(e.what());                                             \
        on_error;                                                            \
    }                                                                        \
    catch (...) {                                                            \
        atn_set_error("unknown native exception");                           \
        on_error;                                                            \
    }

// Runs `body` (which yields an at::Tensor) and returns a new handle, or null with the error set.
template <typename F>
inline ATNTensor atn_new(F body) {
    try {
        return new at::Tensor(body());
    }
    ATN_CATCH(return nullptr)
}

// Runs `body` for its effect; 0 on success, -1 with the error set.
template <typename F>
inline int32_t atn_do(F body) {
    try {
        body();
        return 0;
    }
    ATN_CATCH(return -1)
}

// Writes a vector of tensors into a freshly allocated handle array the caller frees with ATNRuntime_free_handles.
inline int64_t atn_new_list(const std::vector<at::Tensor>& tensors, ATNTensor** out) {
    auto* handles = new ATNTensor[tensors.size()];
    for (size_t i = 0; i < tensors.size(); ++i) handles[i] = new at::Tensor(tensors[i]);
    *out = handles;
    return static_cast<int64_t>(tensors.size());
}

template <typename F>
inline int64_t atn_list(ATNTensor** out, F body) {
    try {
        return atn_new_list(body(), out);
    }
    ATN_CATCH(*out = nullptr; return -1)
}
