// The data layer's native helpers: tensors memory-mapped over the decoded cache's files.
//
// A cache file is raw element bytes (no header); its shape and dtype come from the cache's metadata. Mapping
// uses libtorch's own file allocator (at::from_file): MAP_PRIVATE over the file, so the pages are the kernel's
// page cache, shared by every process that maps the same file and never copied unless someone writes to the
// tensor (a write makes a private copy of that page only and never reaches the file).
#include "atn_common.h"

#include <ATen/MapAllocator.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace {

int64_t checked_numel(const int64_t* shape, int64_t ndim) {
    if (ndim < 0 || (ndim > 0 && shape == nullptr)) throw std::invalid_argument("ATNData_map_file: invalid shape");
    int64_t numel = 1;
    for (int64_t i = 0; i < ndim; ++i) {
        if (shape[i] < 0) throw std::invalid_argument("ATNData_map_file: negative dimension " + std::to_string(shape[i]));
        if (shape[i] != 0 && numel > INT64_MAX / shape[i]) throw std::invalid_argument("ATNData_map_file: shape overflows");
        numel *= shape[i];
    }
    return numel;
}

}  // namespace

// Maps a raw file holding exactly numel(shape) elements of dtype as a read-mostly CPU tensor of that shape.
// The file's size must match exactly (a half-written or foreign file is refused with both sizes named).
ATN_API ATNTensor ATNData_map_file(const char* path, const int64_t* shape, int64_t ndim, int32_t dtype) {
    return atn_new([&] {
        if (path == nullptr) throw std::invalid_argument("ATNData_map_file: path must not be null");
        auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
        int64_t numel = checked_numel(shape, ndim);
        int64_t expected = numel * static_cast<int64_t>(c10::elementSize(static_cast<at::ScalarType>(dtype)));
        struct stat info;
        if (::stat(path, &info) != 0) {
            throw std::runtime_error(std::string("cannot map '") + path + "': " + std::strerror(errno));
        }
        if (static_cast<int64_t>(info.st_size) != expected) {
            throw std::runtime_error(std::string("cannot map '") + path + "': it holds " + std::to_string(info.st_size) +
                                     " bytes, the shape " + c10::str(atn_ints(shape, ndim)) + " needs " +
                                     std::to_string(expected));
        }
        // mmap refuses zero bytes: an empty split is an ordinary empty tensor.
        if (numel == 0) return at::empty(atn_ints(shape, ndim), options);
        return at::from_file(path, /*shared=*/false, numel, options).view(atn_ints(shape, ndim));
    });
}

// 1 when the tensor's storage is memory-mapped from a file (libtorch's MapAllocator), else 0; -1 on error.
ATN_API int32_t ATNData_is_file_mapped(ATNTensor t) {
    try {
        if (t == nullptr) throw std::invalid_argument("ATNData_is_file_mapped: null tensor");
        if (!t->has_storage()) return 0;
        const auto& data = t->storage().data_ptr();
        return at::MapAllocator::fromDataPtr(data) != nullptr ? 1 : 0;
    }
    ATN_CATCH(return -1)
}
