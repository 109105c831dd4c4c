"""Reference pixels for AutoNet's ImageTransform and PngWriter, from torchvision and Pillow.

Request {"op": "transform", "dir": ..., "configs": [[height, width, channels, fit], ...]}: writes test images with
Pillow into dir and, for each image and config, returns what torchvision (tensor resize with antialias, as
AutoNet does it) and Pillow (Image.resize BILINEAR, which antialiases) give as uint8 [C, H, W].
Request {"op": "read", "files": [...]}: returns what Pillow decodes from each PNG as uint8 [H, W, C].
"""
import os

import numpy as np
import torch
import torchvision.transforms.functional as F
from PIL import Image

from reference_io import serve

PHOTOS = "/usr/lib/python3/dist-packages/sklearn/datasets/images"


def resized_size(h, w, th, tw, fit):
    """The size before crop or pad, written from the rules (torchvision's Resize(int) for a square crop)."""
    if fit == "stretch":
        return th, tw
    if fit == "crop":
        if th * w >= tw * h:
            return th, max(tw, w * th // h)
        return max(th, h * tw // w), tw
    if th * w <= tw * h:
        return th, min(max(round(w * th / h), 1), tw)
    return min(max(round(h * tw / w), 1), th), tw


def place_torch(img, th, tw, fit):
    c, rh, rw = img.shape
    if fit == "pad":
        top, left = (th - rh) // 2, (tw - rw) // 2
        return F.pad(img, [left, top, tw - rw - left, th - rh - top], fill=0)
    return F.center_crop(img, [th, tw])


def with_torchvision(image, th, tw, fit):
    tensor = torch.from_numpy(np.array(image)).reshape(image.height, image.width, -1).permute(2, 0, 1).contiguous()
    if fit == "crop" and th == tw:
        # The square case is torchvision's own Resize(int) + CenterCrop.
        return F.center_crop(F.resize(tensor, th, antialias=True), [th, tw])
    rh, rw = resized_size(image.height, image.width, th, tw, fit)
    return place_torch(F.resize(tensor, [rh, rw], antialias=True), th, tw, fit)


def with_pillow(image, th, tw, fit):
    rh, rw = resized_size(image.height, image.width, th, tw, fit)
    resized = image.resize((rw, rh), Image.BILINEAR)
    tensor = torch.from_numpy(np.array(resized)).reshape(rh, rw, -1).permute(2, 0, 1).contiguous()
    return place_torch(tensor, th, tw, fit)


def transform(request):
    out = request["dir"]
    china = Image.open(os.path.join(PHOTOS, "china.jpg")).convert("RGB")
    flower = Image.open(os.path.join(PHOTOS, "flower.jpg")).convert("RGB")
    rng = np.random.RandomState(3)
    rgba = china.crop((200, 100, 200 + 97, 100 + 61))
    rgba.putalpha(Image.fromarray(rng.randint(0, 256, (61, 97)).astype(np.uint8)))
    images = {
        "wide_rgb.png": china.crop((0, 0, 160, 90)),
        "tall_rgb.png": flower.crop((100, 50, 100 + 75, 50 + 130)),
        "grey.png": china.crop((300, 200, 300 + 120, 200 + 120)).convert("L"),
        "grey_alpha.png": china.crop((10, 10, 10 + 50, 10 + 70)).convert("LA"),
        "rgba.png": rgba,
        "palette.png": flower.crop((0, 0, 90, 64)).convert("P", palette=Image.ADAPTIVE, colors=32),
        "small.png": china.crop((50, 50, 50 + 13, 50 + 9)),
    }
    cases = []
    for name, image in images.items():
        path = os.path.join(out, name)
        image.save(path)
        for th, tw, channels, fit in request["configs"]:
            source = Image.open(path)
            converted = source.convert("L" if channels == 1 else "RGB")
            cases.append({"file": path, "config": [th, tw, channels, fit],
                          "torchvision": with_torchvision(converted, th, tw, fit),
                          "pillow": with_pillow(converted, th, tw, fit)})
    return {"cases": cases}


def read(request):
    result = []
    for path in request["files"]:
        array = np.array(Image.open(path))
        if array.ndim == 2:
            array = array[:, :, None]
        result.append(torch.from_numpy(np.ascontiguousarray(array)))
    return {"images": result}


def handle(request):
    return transform(request) if request["op"] == "transform" else read(request)


serve(handle)
