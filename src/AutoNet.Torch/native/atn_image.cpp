// Image decoding for the data layer: JPEG (libjpeg-turbo's TurboJPEG) and PNG (libspng) from a memory
// buffer to a uint8 [H, W, C] tensor, plus a header-only info call. Built only with ATN_HAVE_CODECS; without
// the codecs every entry point still exists and reports that the library was built without them.
//
// Failures set the last error and a reason code the managed side maps to ImageDecodeException:
//   1 not an image (no known signature), 3 truncated, 4 too large, 5 corrupt, 6 codecs missing.
#include "atn_common.h"

#include <cstring>
#include <stdexcept>

#ifdef ATN_HAVE_CODECS
#include <spng.h>
#include <turbojpeg.h>
#endif

namespace {

constexpr int32_t kFormatUnknown = 0;
constexpr int32_t kFormatJpeg = 1;
constexpr int32_t kFormatPng = 2;

constexpr int32_t kReasonNotImage = 1;
constexpr int32_t kReasonTruncated = 3;
constexpr int32_t kReasonTooLarge = 4;
constexpr int32_t kReasonCorrupt = 5;
constexpr int32_t kReasonNoCodecs = 6;

// An error with the reason the managed side reports; caught by atn_new/atn_do like any std::exception.
struct ImageError : std::runtime_error {
    int32_t reason;
    ImageError(int32_t r, const std::string& message) : std::runtime_error(message), reason(r) {}
};

#ifdef ATN_HAVE_CODECS
struct ImageInfo {
    int64_t width = 0;    // after orientation, when it is applied
    int64_t height = 0;
    int64_t channels = 0;
    int32_t format = kFormatUnknown;
    int32_t orientation = 1;  // EXIF orientation 1..8 (1 when absent or not JPEG)
};
#endif

int32_t sniff(const uint8_t* data, int64_t length) {
    static const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return kFormatJpeg;
    if (length >= 8 && std::memcmp(data, png, 8) == 0) return kFormatPng;
    return kFormatUnknown;
}

#ifdef ATN_HAVE_CODECS

void check_pixels(int64_t width, int64_t height, int64_t max_pixels) {
    if (width <= 0 || height <= 0) {
        throw ImageError(kReasonCorrupt, "invalid image size " + std::to_string(width) + "x" + std::to_string(height));
    }
    if (max_pixels > 0 && width * height > max_pixels) {
        throw ImageError(kReasonTooLarge, "image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
                                              std::to_string(width * height) + " pixels, above the limit of " +
                                              std::to_string(max_pixels) + " (a possible decompression bomb)");
    }
}

// Reads the Orientation tag (0x0112) of IFD0 from the first APP1 "Exif" segment; 1 when absent or malformed.
int32_t exif_orientation(const uint8_t* data, int64_t length) {
    int64_t pos = 2;
    while (pos + 4 <= length) {
        if (data[pos] != 0xFF) return 1;
        uint8_t marker = data[pos + 1];
        if (marker == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) return 1;  // end of image or start of scan: no more headers
        int64_t size = (static_cast<int64_t>(data[pos + 2]) << 8) | data[pos + 3];
        if (size < 2 || pos + 2 + size > length) return 1;
        const uint8_t* seg = data + pos + 4;
        int64_t seg_len = size - 2;
        if (marker == 0xE1 && seg_len >= 14 && std::memcmp(seg, "Exif\0\0", 6) == 0) {
            const uint8_t* tiff = seg + 6;
            int64_t tiff_len = seg_len - 6;
            bool little = tiff[0] == 'I' && tiff[1] == 'I';
            if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
            auto u16 = [&](int64_t at) -> uint32_t {
                return little ? (tiff[at] | (tiff[at + 1] << 8)) : ((tiff[at] << 8) | tiff[at + 1]);
            };
            auto u32 = [&](int64_t at) -> uint32_t {
                return little ? (static_cast<uint32_t>(tiff[at]) | (static_cast<uint32_t>(tiff[at + 1]) << 8) |
                                 (static_cast<uint32_t>(tiff[at + 2]) << 16) | (static_cast<uint32_t>(tiff[at + 3]) << 24))
                              : ((static_cast<uint32_t>(tiff[at]) << 24) | (static_cast<uint32_t>(tiff[at + 1]) << 16) |
                                 (static_cast<uint32_t>(tiff[at + 2]) << 8) | static_cast<uint32_t>(tiff[at + 3]));
            };
            if (u16(2) != 42) return 1;
            int64_t ifd = u32(4);
            if (ifd < 8 || ifd + 2 > tiff_len) return 1;
            int64_t count = u16(ifd);
            for (int64_t i = 0; i < count; ++i) {
                int64_t entry = ifd + 2 + 12 * i;
                if (entry + 12 > tiff_len) return 1;
                if (u16(entry) == 0x0112) {
                    uint32_t type = u16(entry + 2);
                    uint32_t value = type == 3 ? u16(entry + 8) : type == 4 ? u32(entry + 8) : 0;
                    return value >= 1 && value <= 8 ? static_cast<int32_t>(value) : 1;
                }
            }
            return 1;
        }
        pos += 2 + size;
    }
    return 1;
}

// Applies an EXIF orientation to an [H, W, C] tensor, as PIL.ImageOps.exif_transpose does.
at::Tensor orient(const at::Tensor& image, int32_t orientation) {
    switch (orientation) {
        case 2: return image.flip({1}).contiguous();
        case 3: return image.flip({0, 1}).contiguous();
        case 4: return image.flip({0}).contiguous();
        case 5: return image.permute({1, 0, 2}).contiguous();
        case 6: return image.permute({1, 0, 2}).flip({1}).contiguous();
        case 7: return image.permute({1, 0, 2}).flip({0, 1}).contiguous();
        case 8: return image.permute({1, 0, 2}).flip({0}).contiguous();
        default: return image;
    }
}

// ---- JPEG ----------------------------------------------------------------------------------------------------

struct TjHandle {
    tjhandle h = tjInitDecompress();
    ~TjHandle() {
        if (h != nullptr) tjDestroy(h);
    }
};

[[noreturn]] void jpeg_fail(tjhandle h, const char* what) {
    std::string message = tjGetErrorStr2(h);
    // libjpeg's "Premature end of JPEG file" (a warning it would otherwise pad over with grey) is truncation.
    bool truncated = message.find("Premature end") != std::string::npos ||
                     message.find("insufficient data") != std::string::npos;
    throw ImageError(truncated ? kReasonTruncated : kReasonCorrupt, std::string(what) + ": " + message);
}

struct JpegHeader {
    int width = 0, height = 0, subsamp = 0, colorspace = 0;
};

JpegHeader jpeg_header(tjhandle h, const uint8_t* data, int64_t length) {
    JpegHeader header;
    if (tjDecompressHeader3(h, data, static_cast<unsigned long>(length), &header.width, &header.height,
                            &header.subsamp, &header.colorspace) != 0) {
        jpeg_fail(h, "invalid JPEG header");
    }
    return header;
}

int64_t jpeg_channels(const JpegHeader& header) { return header.colorspace == TJCS_GRAY ? 1 : 3; }

at::Tensor decode_jpeg(const uint8_t* data, int64_t length, int64_t max_pixels) {
    TjHandle tj;
    if (tj.h == nullptr) throw std::runtime_error("could not create a TurboJPEG decompressor");
    JpegHeader header = jpeg_header(tj.h, data, length);
    if (header.width <= 0 || header.height <= 0) {
        throw ImageError(kReasonTruncated, "the JPEG ends before its frame header (no SOF marker)");
    }
    check_pixels(header.width, header.height, max_pixels);
    // Warnings do not stop the decoder, so the one harmless and common warning (stray bytes before a marker,
    // which Pillow accepts too) can be let through; every other warning (truncation, corrupt entropy data that
    // libjpeg would pad with grey) fails the decode below. Accurate IDCT, as Pillow's libjpeg uses.
    const int flags = TJFLAG_LIMITSCANS | TJFLAG_ACCURATEDCT;
    bool cmyk = header.colorspace == TJCS_CMYK || header.colorspace == TJCS_YCCK;
    int pixel_format = header.colorspace == TJCS_GRAY ? TJPF_GRAY : cmyk ? TJPF_CMYK : TJPF_RGB;
    int64_t decoded_channels = tjPixelSize[pixel_format];
    auto out = at::empty({header.height, header.width, decoded_channels}, at::kByte);
    if (tjDecompress2(tj.h, data, static_cast<unsigned long>(length), out.data_ptr<uint8_t>(), header.width,
                      0, header.height, pixel_format, flags) != 0) {
        bool harmless = tjGetErrorCode(tj.h) == TJERR_WARNING &&
                        std::string(tjGetErrorStr2(tj.h)).find("extraneous bytes before marker") != std::string::npos;
        if (!harmless) jpeg_fail(tj.h, "JPEG decode failed");
    }
    if (!cmyk) return out;
    // CMYK/YCCK: Adobe's convention stores inverted inks; Pillow reads it as such ("CMYK;I") and converts to
    // RGB as  nk = 255 - k;  channel = nk - c * nk / 255  (rounded as its MULDIV255). Same arithmetic here.
    auto rgb = at::empty({header.height, header.width, 3}, at::kByte);
    const uint8_t* src = out.data_ptr<uint8_t>();
    uint8_t* dst = rgb.data_ptr<uint8_t>();
    int64_t pixels = static_cast<int64_t>(header.width) * header.height;
    for (int64_t i = 0; i < pixels; ++i) {
        int nk = src[4 * i + 3];  // inverted k: 255 - k
        for (int c = 0; c < 3; ++c) {
            int ink = 255 - src[4 * i + c];
            int t = ink * nk + 128;
            int v = nk - (((t >> 8) + t) >> 8);
            dst[3 * i + c] = static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
    return rgb;
}

ImageInfo info_jpeg(const uint8_t* data, int64_t length, bool apply_orientation) {
    TjHandle tj;
    if (tj.h == nullptr) throw std::runtime_error("could not create a TurboJPEG decompressor");
    JpegHeader header = jpeg_header(tj.h, data, length);
    if (header.width <= 0 || header.height <= 0) {
        throw ImageError(kReasonTruncated, "the JPEG ends before its frame header (no SOF marker)");
    }
    ImageInfo info;
    info.format = kFormatJpeg;
    info.width = header.width;
    info.height = header.height;
    info.channels = jpeg_channels(header);
    info.orientation = exif_orientation(data, length);
    if (apply_orientation && info.orientation >= 5) std::swap(info.width, info.height);
    return info;
}

// ---- PNG -----------------------------------------------------------------------------------------------------

struct SpngContext {
    spng_ctx* ctx = spng_ctx_new(0);
    ~SpngContext() {
        if (ctx != nullptr) spng_ctx_free(ctx);
    }
};

void spng_check(int status, const char* what) {
    if (status == 0) return;
    std::string message = std::string(what) + ": " + spng_strerror(status);
    throw ImageError(status == SPNG_EOF || status == SPNG_IO_EOF ? kReasonTruncated : kReasonCorrupt, message);
}

struct PngHeader {
    spng_ihdr ihdr{};
    bool has_trns = false;
    int64_t channels = 0;
};

PngHeader png_header(spng_ctx* ctx, const uint8_t* data, int64_t length) {
    spng_check(spng_set_png_buffer(ctx, data, static_cast<size_t>(length)), "invalid PNG");
    // Size checks are ours (with a clearer message); this only lifts spng's own cap to PNG's maximum.
    spng_set_image_limits(ctx, 0x7FFFFFFF, 0x7FFFFFFF);
    // Ancillary chunks (text, ICC) kept in memory are capped so a hostile file cannot exhaust it.
    spng_set_chunk_limits(ctx, 64u << 20, 64u << 20);
    PngHeader header;
    spng_check(spng_get_ihdr(ctx, &header.ihdr), "invalid PNG header");
    spng_trns trns;
    header.has_trns = spng_get_trns(ctx, &trns) == 0;
    switch (header.ihdr.color_type) {
        case SPNG_COLOR_TYPE_GRAYSCALE: header.channels = 1; break;
        case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA: header.channels = 2; break;
        case SPNG_COLOR_TYPE_TRUECOLOR: header.channels = 3; break;
        case SPNG_COLOR_TYPE_TRUECOLOR_ALPHA: header.channels = 4; break;
        case SPNG_COLOR_TYPE_INDEXED: header.channels = header.has_trns ? 4 : 3; break;
        default: throw ImageError(kReasonCorrupt, "unknown PNG color type " + std::to_string(header.ihdr.color_type));
    }
    return header;
}

at::Tensor decode_png(const uint8_t* data, int64_t length, int64_t max_pixels) {
    SpngContext png;
    if (png.ctx == nullptr) throw std::runtime_error("could not create a libspng context");
    PngHeader header = png_header(png.ctx, data, length);
    int64_t width = header.ihdr.width, height = header.ihdr.height;
    check_pixels(width, height, max_pixels);
    const uint8_t depth = header.ihdr.bit_depth;
    const uint8_t type = header.ihdr.color_type;

    int format;
    int flags = 0;
    bool sixteen = false;
    if (type == SPNG_COLOR_TYPE_INDEXED) {
        format = header.has_trns ? SPNG_FMT_RGBA8 : SPNG_FMT_RGB8;
        if (header.has_trns) flags = SPNG_DECODE_TRNS;
    } else if (type == SPNG_COLOR_TYPE_GRAYSCALE && depth < 8) {
        format = SPNG_FMT_G8;  // 1/2/4-bit grey scaled to 0..255, as Pillow's "L;2"/"L;4" unpackers do
    } else {
        format = SPNG_FMT_PNG;  // samples as stored, host-endian when 16-bit; tRNS of grey/RGB is ignored
        sixteen = depth == 16;
    }
    size_t size = 0;
    spng_check(spng_decoded_image_size(png.ctx, format, &size), "PNG decode failed");
    int64_t expected = width * height * header.channels * (sixteen ? 2 : 1);
    if (static_cast<int64_t>(size) != expected) {
        throw std::runtime_error("libspng reported " + std::to_string(size) + " bytes for a " + std::to_string(width) +
                                 "x" + std::to_string(height) + " PNG, expected " + std::to_string(expected));
    }
    if (!sixteen) {
        auto out = at::empty({height, width, header.channels}, at::kByte);
        spng_check(spng_decode_image(png.ctx, out.data_ptr<uint8_t>(), size, format, flags), "PNG decode failed");
        return out;
    }
    // 16-bit samples keep their high byte (v >> 8), as Pillow's "RGB;16B"/"RGBA;16B"/"LA;16B" unpackers do.
    std::vector<uint16_t> wide(size / 2);
    spng_check(spng_decode_image(png.ctx, wide.data(), size, format, flags), "PNG decode failed");
    auto out = at::empty({height, width, header.channels}, at::kByte);
    uint8_t* dst = out.data_ptr<uint8_t>();
    for (size_t i = 0; i < wide.size(); ++i) dst[i] = static_cast<uint8_t>(wide[i] >> 8);
    return out;
}

ImageInfo info_png(const uint8_t* data, int64_t length) {
    SpngContext png;
    if (png.ctx == nullptr) throw std::runtime_error("could not create a libspng context");
    PngHeader header = png_header(png.ctx, data, length);
    ImageInfo info;
    info.format = kFormatPng;
    info.width = header.ihdr.width;
    info.height = header.ihdr.height;
    info.channels = header.channels;
    return info;
}

#endif  // ATN_HAVE_CODECS

void require_input(const uint8_t* data, int64_t length) {
    if (data == nullptr || length <= 0) throw ImageError(kReasonNotImage, "the image buffer is empty (0 bytes)");
}

int32_t require_format(const uint8_t* data, int64_t length) {
    int32_t format = sniff(data, length);
    if (format == kFormatUnknown) {
        throw ImageError(kReasonNotImage, "not a JPEG or PNG image (unrecognised signature)");
    }
#ifndef ATN_HAVE_CODECS
    throw ImageError(kReasonNoCodecs,
                     "image decoding is unavailable: libautonet_native was built without libturbojpeg and libspng "
                     "(install libturbojpeg0-dev and libspng-dev and rebuild)");
#endif
    return format;
}

// Like ATN_CATCH, but also records the reason code.
#define ATN_IMAGE_CATCH(on_error)                    \
    catch (const ImageError& e) {                    \
        if (reason != nullptr) *reason = e.reason;   \
        atn_set_error(e.what());                     \
        on_error;                                    \
    }                                                \
    catch (const std::bad_alloc&) {                  \
        if (reason != nullptr) *reason = kReasonTooLarge; \
        atn_set_error("out of memory decoding the image"); \
        on_error;                                    \
    }                                                \
    ATN_CATCH(if (reason != nullptr) *reason = kReasonCorrupt; on_error)

}  // namespace

// 1 when the library was built with libturbojpeg and libspng.
ATN_API int32_t ATNImage_has_codecs() {
#ifdef ATN_HAVE_CODECS
    return 1;
#else
    return 0;
#endif
}

// Decodes a JPEG or PNG held in memory to a new uint8 [H, W, C] tensor (C = 1, 2, 3 or 4). EXIF orientation
// is applied when apply_orientation is non-zero; images above max_pixels (width*height; 0 = no limit) are
// refused. On failure returns null with the error set and *reason filled (see the top of this file).
ATN_API ATNTensor ATNImage_decode(const uint8_t* data, int64_t length, int32_t apply_orientation, int64_t max_pixels,
                                  int32_t* reason) {
    if (reason != nullptr) *reason = 0;
    try {
        require_input(data, length);
        int32_t format = require_format(data, length);
#ifdef ATN_HAVE_CODECS
        if (format == kFormatPng) return new at::Tensor(decode_png(data, length, max_pixels));
        auto image = decode_jpeg(data, length, max_pixels);
        if (apply_orientation != 0) image = orient(image, exif_orientation(data, length));
        return new at::Tensor(std::move(image));
#else
        (void)format, (void)apply_orientation, (void)max_pixels;
        return nullptr;
#endif
    }
    ATN_IMAGE_CATCH(return nullptr)
}

// Reads an image's header without decoding its pixels. out receives 5 values: width, height, channels (as
// ATNImage_decode would return them, orientation included when apply_orientation), format (1 JPEG, 2 PNG),
// EXIF orientation (1..8). Returns 0, or -1 with the error set and *reason filled.
ATN_API int32_t ATNImage_info(const uint8_t* data, int64_t length, int32_t apply_orientation, int64_t* out,
                              int32_t* reason) {
    if (reason != nullptr) *reason = 0;
    try {
        if (out == nullptr) throw std::invalid_argument("ATNImage_info: out must not be null");
        require_input(data, length);
        int32_t format = require_format(data, length);
#ifdef ATN_HAVE_CODECS
        ImageInfo info = format == kFormatPng ? info_png(data, length) : info_jpeg(data, length, apply_orientation != 0);
        out[0] = info.width;
        out[1] = info.height;
        out[2] = info.channels;
        out[3] = info.format;
        out[4] = info.orientation;
        return 0;
#else
        (void)format, (void)apply_orientation;
        return -1;
#endif
    }
    ATN_IMAGE_CATCH(return -1)
}
