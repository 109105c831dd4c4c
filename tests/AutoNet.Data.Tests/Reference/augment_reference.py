"""torchvision and PyTorch references for AutoNet.Data's batch augmentations.

Request: uint8 images [B, C, H, W] and the parameters AutoNet used (flip flags, padding and crop offsets,
resized-crop boxes, erase boxes, mean/std, mixup/cutmix permutation, lambda and box, logits and labels for the
mixed loss, a linear "model" for test-time flip). Reply: torchvision's result for each, computed per sample with
the ordinary transforms (flip, pad + crop, resized_crop, Normalize, erase) and the usual formulas.
"""
import torch
import torch.nn.functional as F
import torchvision.transforms as T
import torchvision.transforms.functional as TF

from reference_io import decode, serve


def handle(req):
    x = decode(req["images"])
    _, _, height, width = x.shape
    out = {}
    out["flip"] = torch.stack([torch.flip(img, [2]) if f else img for img, f in zip(x, req["flip"])])

    p = req["padding"]
    out["pad_crop"] = torch.stack([TF.crop(TF.pad(img, p), t, l, height, width) for img, (t, l) in zip(x, req["offsets"])])

    xf = x.float()
    out["resized_crop"] = torch.stack([
        TF.resized_crop(img, t, l, h, w, [height, width], interpolation=T.InterpolationMode.BILINEAR, antialias=False)
        for img, (t, l, h, w) in zip(xf, req["resized_boxes"])])

    normalized = T.Normalize(req["mean"], req["std"])(x.float() / 255)
    out["normalize"] = normalized

    erased = []
    for img, (t, l, h, w) in zip(normalized, req["erase_boxes"]):
        erased.append(TF.erase(img, t, l, h, w, torch.tensor(0.0)) if h > 0 and w > 0 else img)
    out["erase"] = torch.stack(erased)

    perm = torch.tensor(req["permutation"])
    lam = req["lambda"]
    out["mixup"] = lam * normalized + (1 - lam) * normalized[perm]
    t, l, h, w = req["cutmix_box"]
    cut = normalized.clone()
    cut[:, :, t:t + h, l:l + w] = normalized[perm][:, :, t:t + h, l:l + w]
    out["cutmix"] = cut

    logits = decode(req["logits"])
    a = decode(req["labels_a"])
    b = decode(req["labels_b"])
    classes = logits.shape[1]
    soft = lam * F.one_hot(a, classes).float() + (1 - lam) * F.one_hot(b, classes).float()
    out["mixed_ce"] = F.cross_entropy(logits, soft)
    out["mixed_ce_smoothed"] = F.cross_entropy(logits, soft, label_smoothing=0.1)
    out["soft_targets"] = soft

    weight = decode(req["tta_weight"])
    model = lambda t: t.flatten(1) @ weight
    out["tta_probabilities"] = (F.softmax(model(normalized), 1) + F.softmax(model(torch.flip(normalized, [3])), 1)) / 2
    out["tta_logits"] = (model(normalized) + model(torch.flip(normalized, [3]))) / 2
    return out


if __name__ == "__main__":
    serve(handle)
