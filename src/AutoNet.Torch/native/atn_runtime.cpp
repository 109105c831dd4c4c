// Process-wide state: the last-error slot, ABI version, threads, seeds, devices.
#include "atn_common.h"

#include <ATen/Context.h>
#include <torch/version.h>
#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <cstring>


namespace {
thread_local std::string last_error;
thread_local bool has_error = false;
}  // namespace

void atn_set_error(const char* message) {
    last_error = message == nullptr ? "unknown native exception" : message;
    has_error = true;
}

void atn_clear_error() {
    last_error.clear();
    has_error = false;
}

// The message stays owned by the thread-local slot: the managed side copies it and never frees it.
ATN_API const char* ATNRuntime_last_error() { return has_error ? last_error.c_str() : nullptr; }

ATN_API void ATNRuntime_clear_error() { atn_clear_error(); }

ATN_API int32_t ATNRuntime_abi_version() { return ATN_ABI_VERSION; }

// Copies libtorch's version string ("1.13.1") into buffer; returns the length it needs.
ATN_API int32_t ATNRuntime_torch_version(char* buffer, int32_t capacity) {
    std::string version = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                          std::to_string(TORCH_VERSION_PATCH);
    if (buffer != nullptr && capacity > 0) {
        std::strncpy(buffer, version.c_str(), static_cast<size_t>(capacity - 1));
        buffer[capacity - 1] = '\0';
    }
    return static_cast<int32_t>(version.size());
}

ATN_API int32_t ATNRuntime_set_num_threads(int32_t threads) {
    return atn_do([&] {
        if (threads < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(threads));
        at::set_num_threads(threads);
    });
}

ATN_API int32_t ATNRuntime_get_num_threads() { return at::get_num_threads(); }

ATN_API int32_t ATNRuntime_set_num_interop_threads(int32_t threads) {
    return atn_do([&] { at::set_num_interop_threads(threads); });
}

ATN_API int32_t ATNRuntime_manual_seed(int64_t seed) {
    return atn_do([&] {
        // Seeds the CPU generator and every CUDA device's, as torch.manual_seed does.
        at::manual_seed(static_cast<uint64_t>(seed));
    });
}

ATN_API int32_t ATNRuntime_set_deterministic(int32_t enabled) {
    return atn_do([&] {
        at::globalContext().setDeterministicAlgorithms(enabled != 0, /*warn_only=*/false);
        at::globalContext().setBenchmarkCuDNN(false);
        at::globalContext().setDeterministicCuDNN(enabled != 0);
    });
}

ATN_API int32_t ATNRuntime_cuda_is_available() {
    try {
        return at::hasCUDA() && at::getNumGPUs() > 0 ? 1 : 0;
    }
    ATN_CATCH(return 0)
}

ATN_API int32_t ATNRuntime_cuda_device_count() {
    try {
        return at::hasCUDA() ? static_cast<int32_t>(at::getNumGPUs()) : 0;
    }
    ATN_CATCH(return 0)
}

ATN_API int32_t ATNRuntime_cudnn_is_available() {
    try {
        return at::globalContext().hasCuDNN() ? 1 : 0;
    }
    ATN_CATCH(return 0)
}

ATN_API int32_t ATNRuntime_mkldnn_is_available() { return at::hasMKLDNN() ? 1 : 0; }

ATN_API int32_t ATNRuntime_set_grad_enabled(int32_t enabled) {
    bool previous = c10::GradMode::is_enabled();
    c10::GradMode::set_enabled(enabled != 0);
    return previous ? 1 : 0;
}

ATN_API int32_t ATNRuntime_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

// The CPU generator's full state, so a checkpoint can restore the exact random stream.
ATN_API ATNTensor ATNRuntime_get_rng_state() {
    return atn_new([&] {
        auto gen = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(gen.mutex());
        return gen.get_state();
    });
}

ATN_API int32_t ATNRuntime_set_rng_state(ATNTensor state) {
    return atn_do([&] {
        auto gen = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_state(*state);
    });
}

ATN_API void ATNRuntime_free_handles(ATNTensor* handles) { delete[] handles; }

