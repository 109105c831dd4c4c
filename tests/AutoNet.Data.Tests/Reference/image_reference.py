"""Writes test images with Pillow into a temporary folder and returns what Pillow decodes from each file.

Request: {"dir": "<empty temp folder>"}. Reply: {"cases": [{"name", "file", "kind", "expected", "info"}], "bad": [...]}
where expected is the uint8 [H, W, C] array Pillow gives (after ImageOps.exif_transpose for JPEG) and info is
[width, height, channels]. Images nobody can decode ("bad") are listed with the failure the decoder should report.
WebP, GIF (first frame) and BMP: Pillow's RGB (or RGBA where the file carries alpha), the channels AutoNet keeps.
"""
import io
import os
import struct
import zlib

import numpy as np
import torch
from PIL import Image, ImageOps

from reference_io import serve

PHOTOS = "/usr/lib/python3/dist-packages/sklearn/datasets/images"


def hwc(array):
    array = np.asarray(array)
    if array.ndim == 2:
        array = array[:, :, None]
    return torch.from_numpy(np.ascontiguousarray(array.astype(np.uint8)))


def pillow_pixels(path):
    """What Pillow decodes, in the channel layout AutoNet returns."""
    im = Image.open(path)
    im.load()
    if im.format == "JPEG":
        im = ImageOps.exif_transpose(im)
        if im.mode == "CMYK":
            im = im.convert("RGB")
        return hwc(np.array(im))
    raw = Image.open(path)
    mode = raw.mode
    if raw.format in ("WEBP", "GIF", "BMP"):
        # Opened as RGB/RGBA/P/L/1 depending on the file; AutoNet keeps RGB, or RGBA where there is alpha.
        alpha = mode in ("RGBA", "LA") or "transparency" in raw.info
        return hwc(np.array(raw.convert("RGBA" if alpha else "RGB")))
    if mode == "P":
        return hwc(np.array(raw.convert("RGBA" if "transparency" in raw.info else "RGB")))
    if mode == "1":
        return hwc(np.array(raw.convert("L")))
    if mode in ("I", "I;16", "I;16B"):
        # 16-bit grey: Pillow's own convert("L") clips at 255; we keep the high byte (see the test's comment).
        return hwc(np.array(raw).astype(np.int64) >> 8)
    return hwc(np.array(raw))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def raw_png(array, color_type, bit_depth=16):
    """A PNG Pillow cannot write itself (16-bit RGB, RGBA, grey+alpha), from a big-endian array."""
    h, w = array.shape[:2]
    rows = b"".join(b"\0" + array[y].astype(">u2" if bit_depth == 16 else "u1").tobytes() for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(rows)) + png_chunk(b"IEND", b""))


def adam7_png(array):
    """An interlaced (Adam7) 8-bit RGB PNG: seven passes over sub-grids, each with its own unfiltered rows."""
    h, w = array.shape[:2]
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    data = b""
    for x0, y0, dx, dy in passes:
        sub = array[y0::dy, x0::dx]
        if sub.size:
            data += b"".join(b"\0" + sub[y].astype("u1").tobytes() for y in range(sub.shape[0]))
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 1))
            + png_chunk(b"IDAT", zlib.compress(data)) + png_chunk(b"IEND", b""))


def handle(request):
    out = request["dir"]
    rng = np.random.RandomState(7)
    china = Image.open(os.path.join(PHOTOS, "china.jpg")).convert("RGB")
    # A natural, non-square patch whose sides are not multiples of the 8/16-pixel JPEG blocks.
    rgb = china.crop((100, 120, 100 + 61, 120 + 45))
    rgba = rgb.copy()
    rgba.putalpha(Image.fromarray(rng.randint(0, 256, (45, 61)).astype(np.uint8)))
    files = []

    def save(name, image, **options):
        path = os.path.join(out, name)
        image.save(path, **options)
        files.append((name, path))

    def write(name, data):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data)
        files.append((name, path))

    for photo in ("china.jpg", "flower.jpg"):
        files.append(("photo_" + photo, os.path.join(PHOTOS, photo)))
    save("baseline_420.jpg", rgb, quality=90)
    save("baseline_444.jpg", rgb, quality=95, subsampling=0)
    save("baseline_422.jpg", rgb, quality=85, subsampling=1)
    save("progressive.jpg", rgb, quality=90, progressive=True)
    save("grayscale.jpg", rgb.convert("L"), quality=90)
    save("cmyk.jpg", rgb.convert("CMYK"), quality=90)
    save("progressive_gray.jpg", rgb.convert("L"), quality=80, progressive=True)
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        save(f"orientation_{orientation}.jpg", rgb, quality=92, exif=exif.tobytes())
    # Big-endian ("MM") EXIF, as many cameras write it, with the tag not first in IFD0.
    mm = (b"MM\x00\x2a\x00\x00\x00\x08\x00\x02" + struct.pack(">HHII", 0x010F, 2, 4, 0x43616D00)
          + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + b"\x00\x00\x00\x00")
    save("orientation_6_motorola.jpg", rgb, quality=92, exif=b"Exif\x00\x00" + mm)

    grey = np.asarray(rgb.convert("L"))
    save("gray8.png", rgb.convert("L"))
    save("gray1.png", rgb.convert("1"))
    save("gray16.png", Image.fromarray((grey.astype(np.uint16) * 257 + rng.randint(0, 257, grey.shape)).astype(np.uint16)))
    save("la8.png", rgba.convert("LA"))
    save("rgb8.png", rgb)
    save("rgba8.png", rgba)
    palette = rgb.convert("P", palette=Image.ADAPTIVE, colors=64)
    save("palette.png", palette)
    save("palette_trns.png", palette, transparency=bytes(rng.randint(0, 256, 64).astype(np.uint8)))
    save("palette_trns_single.png", palette, transparency=3)
    save("rgb8_interlace_free_optimized.png", rgb, optimize=True)
    # tRNS on grey and RGB images: Pillow keeps the mode (L, RGB), so the key colour adds no channel.
    save("gray8_trns.png", rgb.convert("L"), transparency=int(grey[0, 0]))
    save("rgb8_trns.png", rgb, transparency=tuple(int(v) for v in np.asarray(rgb)[0, 0]))
    wide = rng.randint(0, 65536, (45, 61, 4))
    write("rgb16.png", raw_png(wide[:, :, :3], 2))
    write("rgba16.png", raw_png(wide, 6))
    write("la16.png", raw_png(wide[:, :, :2], 4))
    write("rgb8_adam7.png", adam7_png(np.asarray(rgb)))
    # Stray bytes before the end marker: libjpeg warns, Pillow decodes it, so must we.
    baseline = open(os.path.join(out, "baseline_420.jpg"), "rb").read()
    write("extraneous_bytes.jpg", baseline[:-2] + b"\x00junk\x00" + baseline[-2:])
    # The signature decides, not the extension.
    save("png_named.jpg", rgb, format="PNG")
    save("bitmap_named.png", rgb, format="BMP")
    # WebP (lossy and lossless, with and without alpha), GIF (the first frame of an animation) and BMP.
    save("lossy.webp", rgb, quality=80)
    save("lossless.webp", rgb, lossless=True)
    save("alpha_lossless.webp", rgba, lossless=True)
    save("alpha_lossy.webp", rgba, quality=80)
    first = rgb.convert("P", palette=Image.ADAPTIVE, colors=32)
    second = rgb.transpose(Image.FLIP_LEFT_RIGHT).convert("P", palette=Image.ADAPTIVE, colors=32)
    save("animation.gif", first, save_all=True, append_images=[second], duration=100, loop=0)
    save("still.gif", rgb)
    save("rgb24.bmp", rgb)
    save("palette8.bmp", rgb.convert("P", palette=Image.ADAPTIVE, colors=64))

    cases = []
    for name, path in files:
        expected = pillow_pixels(path)
        cases.append({"name": name, "file": path, "expected": expected,
                      "info": [expected.shape[1], expected.shape[0], expected.shape[2]]})
    # Pillow reads 16-bit grey+alpha as RGBA (R = G = B = grey): keep grey and alpha.
    for case in cases:
        if case["name"] == "la16.png":
            case["expected"] = case["expected"][:, :, [0, 3]].contiguous()
            case["info"][2] = 2

    bad = []

    def bad_file(name, data, reason):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data)
        bad.append({"name": name, "file": path, "reason": reason})

    jpeg = open(os.path.join(out, "baseline_420.jpg"), "rb").read()
    png = open(os.path.join(out, "rgb8.png"), "rb").read()
    progressive = open(os.path.join(out, "progressive.jpg"), "rb").read()
    bad_file("empty.jpg", b"", "Empty")
    bad_file("empty.png", b"", "Empty")
    bad_file("notes.jpg", b"these are not the pixels you are looking for\n", "NotAnImage")
    bad_file("truncated.jpg", jpeg[: len(jpeg) // 2], "Truncated")
    bad_file("truncated_progressive.jpg", progressive[: len(progressive) * 2 // 3], "Truncated")
    bad_file("truncated_header.jpg", jpeg[:40], "Truncated|Corrupt")
    bad_file("truncated.png", png[: len(png) // 2], "Truncated")
    bad_file("signature_only.png", png[:8], "Truncated|Corrupt")
    idat = png.index(b"IDAT")
    broken = bytearray(png)
    for i in range(idat + 20, idat + 60):
        broken[i] ^= 0x5A
    bad_file("corrupt_idat.png", bytes(broken), "Corrupt")
    broken = bytearray(jpeg)
    sos = jpeg.index(b"\xff\xda")
    for i in range(sos + 40, len(broken) - 2):
        broken[i] = 0xFF if i % 7 == 0 else broken[i] ^ 0xA5
    bad_file("corrupt_scan.jpg", bytes(broken), "Corrupt|Truncated")
    bad_file("garbage_after_soi.jpg", b"\xff\xd8\xff" + bytes(rng.randint(0, 256, 500).astype(np.uint8)), "Corrupt|Truncated")
    # Headers claiming 40000 x 40000 pixels (1.6 gigapixels) with almost no data: decompression bombs.
    bomb = bytearray(png)
    bomb[16:24] = struct.pack(">II", 40000, 40000)
    bomb[29:33] = struct.pack(">I", zlib.crc32(bytes(bomb[12:29])) & 0xFFFFFFFF)
    bad_file("bomb.png", bytes(bomb), "TooLarge")
    bomb = bytearray(jpeg)
    sof = jpeg.index(b"\xff\xc0")
    bomb[sof + 5:sof + 9] = struct.pack(">HH", 40000, 40000)
    bad_file("bomb.jpg", bytes(bomb), "TooLarge")
    gif = open(os.path.join(out, "still.gif"), "rb").read()
    bad_file("truncated.gif", gif[: len(gif) // 2], "Truncated")
    bomb = bytearray(gif)
    bomb[6:10] = struct.pack("<HH", 40000, 40000)
    bad_file("bomb.gif", bytes(bomb), "TooLarge")
    bmp = open(os.path.join(out, "rgb24.bmp"), "rb").read()
    bad_file("truncated.bmp", bmp[: len(bmp) // 2], "Truncated")
    bomb = bytearray(bmp)
    bomb[18:26] = struct.pack("<ii", 40000, 40000)
    bad_file("bomb.bmp", bytes(bomb), "TooLarge")
    webp = open(os.path.join(out, "lossy.webp"), "rb").read()
    bad_file("truncated.webp", webp[: len(webp) // 2], "Truncated")
    lossless = open(os.path.join(out, "lossless.webp"), "rb").read()
    bomb = bytearray(lossless)
    assert bomb[12:16] == b"VP8L" and bomb[20] == 0x2F
    # VP8L: 14 bits width - 1, 14 bits height - 1, 1 bit alpha, 3 bits version: 16384 x 16384 (268 megapixels).
    bomb[21:25] = struct.pack("<I", (16383 | (16383 << 14)) | (int.from_bytes(bomb[21:25], "little") & ~((1 << 28) - 1)))
    bad_file("bomb.webp", bytes(bomb), "TooLarge")
    buffer = io.BytesIO()
    rgb.save(buffer, format="TIFF")
    bad_file("scan.tiff", buffer.getvalue(), "UnsupportedFormat")
    return {"cases": cases, "bad": bad}


serve(handle)
