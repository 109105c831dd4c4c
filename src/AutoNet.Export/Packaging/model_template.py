"""An AutoNet image classifier, rebuilt with PyTorch alone (torch and numpy; no AutoNet, no safetensors package).

Usage, from the folder holding this file and weights.safetensors:

    import model
    net = model.load()                  # eval mode, on the CPU
    x = model.normalize(pixels)         # pixels: float tensor [N, H, W, C] with raw values (0-255) at the model's size
    probabilities = net(x).softmax(1)   # one column per name in model.CLASS_NAMES

An image of any size is brought to the model's size as training brought it with model.prepare:

    x = model.normalize(model.prepare(numpy.asarray(PIL.Image.open(path)))[None])

(resize bilinear with antialiasing, rounded to uint8, then the fit model.json records in INPUT["fit"]: center_crop,
pad or stretch; packages written before the fit was recorded were centre-cropped).

DESCRIPTION is a copy of model.json (architecture, input description, class names, model card). Cell networks,
macro-cnns and transfer heads are built from their architecture description (model.json's "description": a tree of
operations, the same one AutoNet builds its TorchSharp modules and ONNX graphs from) by the small interpreter below;
torchvision backbones by torchvision's own constructors. Module trees and state-dict keys are AutoNet's (torchvision's
for backbones), so net.state_dict() matches weights.safetensors.
"""
import base64
import json
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DESCRIPTION = json.loads(base64.b64decode("__AUTONET_MODEL_JSON_BASE64__").decode("utf-8"))
DESCRIPTION_SCHEMA_VERSION = 1
CLASS_NAMES = DESCRIPTION["class_names"]
INPUT = DESCRIPTION["input"]
WEIGHTS_FILE = "weights.safetensors"


# ---- safetensors ------------------------------------------------------------------------------------------------

_DTYPES = {
    "F64": np.float64, "F32": np.float32, "F16": np.float16,
    "I64": np.int64, "I32": np.int32, "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_,
}


def read_safetensors(path):
    """Reads a safetensors file into a dict of CPU tensors (the format: 8-byte little-endian header size, JSON header, data)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short to be a safetensors file")
    (size,) = struct.unpack("<Q", data[:8])
    if 8 + size > len(data):
        raise ValueError(f"{path}: the header size {size} runs past the end of the file")
    header = json.loads(data[8:8 + size].decode("utf-8"))
    base = 8 + size
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[base + start:base + end]
        shape = info["shape"]
        dtype = info["dtype"]
        if dtype == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            tensors[name] = torch.from_numpy(bits.view(np.float32).reshape(shape)).to(torch.bfloat16)
        elif dtype in _DTYPES:
            array = np.frombuffer(raw, dtype=np.dtype(_DTYPES[dtype]).newbyteorder("<")).reshape(shape)
            tensors[name] = torch.from_numpy(array.astype(array.dtype.newbyteorder("="), copy=True))
        else:
            raise ValueError(f"{path}: tensor {name!r} has dtype {dtype}, which this reader does not know")
    return tensors


# ---- architecture descriptions (schema 1: AutoNet.Models/Architecture/README.md) ---------------------------------

COMBINATORS = ("sequential", "parallel", "graph")
STATEFUL = ("conv2d", "batch_norm2d", "linear")


def children(node):
    """A node's direct child nodes, in state-dict order."""
    op = node["op"]
    if op == "sequential":
        return node["steps"]
    if op == "parallel":
        return node["branches"]
    if op == "graph":
        return [step["node"] for step in node["steps"]]
    return []


def pair(value):
    return tuple(value) if isinstance(value, list) else (value, value)


def merge(kind, inputs):
    if kind == "concat":
        return torch.cat(inputs, dim=1)
    result = inputs[0]
    for x in inputs[1:]:
        result = result + x if kind == "add" else result * x
    return result


def apply_leaf(node, x, training=False, drop_path_prob=0.0):
    """The forward of a parameter-free leaf."""
    op = node["op"]
    if op == "activation":
        return {"relu": F.relu, "relu6": F.relu6, "silu": F.silu, "sigmoid": torch.sigmoid}[node["function"]](x)
    if op == "pool2d":
        kernel, stride, padding = pair(node["kernel"]), pair(node["stride"]), pair(node["padding"])
        if node["kind"] == "max":
            return F.max_pool2d(x, kernel, stride, padding)
        return F.avg_pool2d(x, kernel, stride, padding, count_include_pad=node["count_include_pad"])
    if op == "global_pool":
        return F.adaptive_max_pool2d(x, 1) if node["kind"] == "max" else F.adaptive_avg_pool2d(x, 1)
    if op == "flatten":
        return torch.flatten(x, 1)
    if op == "dropout":
        return F.dropout(x, node["p"], training)
    if op == "identity":
        return x
    if op == "zero":
        stride = node["stride"]
        return x.mul(0.0) if stride == 1 else x[:, :, ::stride, ::stride].mul(0.0)
    if op == "crop":
        return x[:, :, node["top"]:, node["left"]:]
    if op == "drop_path":
        p = drop_path_prob if node.get("p") is None else node["p"]
        if not training or p == 0:
            return x
        mask = torch.empty(x.shape[0], 1, 1, 1, dtype=x.dtype, device=x.device).bernoulli_(1 - p)
        return x * mask / (1 - p) if p < 1 else x * mask
    raise ValueError(f"model.json: unknown operation {op!r}")


class Op(nn.Module):
    """A named parameter-free leaf as a module of its own."""

    def __init__(self, node):
        super().__init__()
        self.node = node

    def forward(self, x):
        return apply_leaf(self.node, x, self.training)


def build_module(node):
    op = node["op"]
    if op == "conv2d":
        return nn.Conv2d(node["in"], node["out"], pair(node["kernel"]), pair(node["stride"]), pair(node["padding"]),
                         dilation=node["dilation"], groups=node["groups"], bias=node["bias"])
    if op == "batch_norm2d":
        return nn.BatchNorm2d(node["features"], eps=node["eps"], momentum=node["momentum"], affine=node["affine"])
    if op == "linear":
        return nn.Linear(node["in"], node["out"], bias=node["bias"])
    if op in COMBINATORS:
        return Described(node)
    return Op(node)


class Described(nn.Module):
    """The network of an architecture description: each named node a submodule under its (dotted) name, so the
    state-dict keys are the description's, and forward interprets the description."""

    def __init__(self, node):
        super().__init__()
        self.node = node
        self.drop_path_prob = 0.0
        self._owned = {}
        for child in children(node):
            self._collect(child)

    def _collect(self, node):
        name = node.get("name")
        if name is None:
            if node["op"] in STATEFUL:
                raise ValueError(f"model.json: a {node['op']} holds weights and needs a name")
            for child in children(node):
                self._collect(child)
            return
        module = build_module(node)
        parent = self
        segments = name.split(".")
        for segment in segments[:-1]:
            if segment not in parent._modules:
                parent.add_module(segment, nn.Module())
            parent = parent._modules[segment]
        parent.add_module(segments[-1], module)
        self._owned[id(node)] = module

    def forward(self, *inputs):
        return self.run(self.node, list(inputs), root=True)

    def run(self, node, inputs, root=False):
        if not root and node.get("name") is not None:
            module = self._owned[id(node)]
            if isinstance(module, Described):
                return module.run(module.node, inputs, root=True)
            return module(*inputs)
        op = node["op"]
        if op == "merge":
            return merge(node["merge"], inputs)
        if op == "sequential":
            (x,) = inputs
            for step in node["steps"]:
                x = self.run(step, [x])
            return x
        if op == "parallel":
            (x,) = inputs
            return merge(node["merge"], [self.run(branch, [x]) for branch in node["branches"]])
        if op == "graph":
            states = list(inputs)
            for step in node["steps"]:
                states.append(self.run(step["node"], [states[i] for i in step["inputs"]]))
            outputs = [states[i] for i in node["outputs"]]
            return outputs[0] if len(outputs) == 1 else torch.cat(outputs, dim=1)
        (x,) = inputs
        return apply_leaf(node, x, self.training, self.drop_path_prob)


class Network(Described):
    """A cell network or macro-cnn: its description is a sequential of [pooled features, dropout, classifier]."""

    def features(self, x):
        return self.run(self.node["steps"][0], [x])


# ---- torchvision backbones ----------------------------------------------------------------------------------------

def backbone(arch):
    """torchvision's own network; a stem for other than 3 input channels and no classifier for 0 classes, as AutoNet's."""
    import torchvision

    name, classes, channels = arch["name"], arch["num_classes"], arch["in_channels"]
    constructors = {"resnet18": torchvision.models.resnet18, "resnet34": torchvision.models.resnet34,
                    "resnet50": torchvision.models.resnet50, "mobilenet_v2": torchvision.models.mobilenet_v2,
                    "efficientnet_b0": torchvision.models.efficientnet_b0}
    if name not in constructors:
        raise ValueError(f"model.json: unknown backbone {name!r}")
    net = constructors[name](num_classes=max(classes, 1))
    if name.startswith("resnet"):
        if channels != 3:
            net.conv1 = nn.Conv2d(channels, 64, 7, 2, 3, bias=False)
        if classes == 0:
            net.fc = nn.Identity()
    else:
        if channels != 3:
            stem = net.features[0][0]
            net.features[0][0] = nn.Conv2d(channels, stem.out_channels, 3, 2, 1, bias=False)
        if classes == 0:
            net.classifier = nn.Identity()
        elif arch.get("dropout") is not None:
            net.classifier[0].p = arch["dropout"]
    return net


def feature_map(net, x):
    """The last feature map [N, F, H, W] of a torchvision backbone (or of a transfer network's), before pooling."""
    if isinstance(net, TransferNetwork):
        return feature_map(net.backbone, x)
    if isinstance(net, Network):
        raise ValueError("model.json: a cell head needs a torchvision backbone's feature map")
    if hasattr(net, "layer4"):
        x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
        return net.layer4(net.layer3(net.layer2(net.layer1(x))))
    return net.features(x)


def features(net, x):
    """The pooled features [N, F] a network's classifier reads (its penultimate output)."""
    if isinstance(net, (Network, TransferNetwork)):
        return net.features(x)
    return torch.flatten(F.adaptive_avg_pool2d(feature_map(net, x), 1), 1)


# ---- transfer: a trained network's features with a new head ---------------------------------------------------

class TransferNetwork(nn.Module):
    """A trained network's features (its own classifier unused) under a new head, built from the head's description."""

    def __init__(self, backbone_net, head):
        super().__init__()
        self.backbone = backbone_net
        self.reads_feature_map = head["kind"] == "cell"
        self.head = Described(head["description"])

    def features(self, x):
        return features(self.backbone, x)

    def forward(self, x):
        return self.head(feature_map(self.backbone, x) if self.reads_feature_map else self.features(x))


def build(arch):
    """The network model.json's "architecture" describes, with fresh weights."""
    kind = arch["kind"]
    if kind in ("cell_network", "macro_cnn"):
        return Network(arch["description"])
    if kind == "backbone":
        return backbone(arch)
    if kind == "transfer":
        return TransferNetwork(build(arch["base"]), arch["head"])
    raise ValueError(f"model.json: unknown architecture kind {kind!r}")


def load(directory=None, description=None):
    """Builds the network and loads weights.safetensors from `directory` (default: this file's folder); eval mode."""
    directory = directory or os.path.dirname(os.path.abspath(__file__))
    description = description or DESCRIPTION
    if description.get("description_schema_version", DESCRIPTION_SCHEMA_VERSION) != DESCRIPTION_SCHEMA_VERSION:
        raise ValueError(f"model.json: architecture description schema {description['description_schema_version']} is not "
                         f"{DESCRIPTION_SCHEMA_VERSION}, the one this model.py reads")
    net = build(description["architecture"])
    net.load_state_dict(read_safetensors(os.path.join(directory, WEIGHTS_FILE)), strict=True)
    return net.eval()


def _fitted_size(height, width, target_height, target_width, fit):
    """The size an image is resized to before it is cropped or padded to the target (AutoNet's ImageTransform)."""
    if fit == "stretch":
        return target_height, target_width
    if fit == "center_crop":
        if target_height * width >= target_width * height:
            return target_height, max(target_width, width * target_height // height)
        return max(target_height, height * target_width // width), target_width
    if fit == "pad":
        if target_height * width <= target_width * height:
            return target_height, min(max((2 * width * target_height + height) // (2 * height), 1), target_width)
        return min(max((2 * height * target_width + width) // (2 * width), 1), target_height), target_width
    raise ValueError(f"model.json: unknown input fit {fit!r}")


def prepare(image):
    """[H, W] or [H, W, C] uint8 pixels of any size (C = 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) to [height, width, channels]
    uint8 as AutoNet fed training: alpha dropped, grey <-> RGB as Pillow converts, resized and fitted as INPUT says."""
    pixels = torch.as_tensor(np.asarray(image, dtype=np.uint8))
    if pixels.dim() == 2:
        pixels = pixels.unsqueeze(-1)
    height, width, channels = pixels.shape
    planes = pixels.permute(2, 0, 1).to(torch.int64)
    if INPUT["channels"] == 1:
        # Pillow's convert("L"): (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
        planes = ((planes[0] * 19595 + planes[1] * 38470 + planes[2] * 7471 + 0x8000) >> 16)[None] if channels >= 3 else planes[:1]
    else:
        planes = planes[:3] if channels >= 3 else planes[:1].repeat(3, 1, 1)
    target_height, target_width = INPUT["height"], INPUT["width"]
    resized_height, resized_width = _fitted_size(height, width, target_height, target_width, INPUT.get("fit", "center_crop"))
    planes = planes.to(torch.float32)
    if (resized_height, resized_width) != (height, width):
        planes = F.interpolate(planes[None], size=(resized_height, resized_width), mode="bilinear", align_corners=False,
                               antialias=True)[0].round().clamp(0, 255)
    if resized_height < target_height or resized_width < target_width:
        top, left = (target_height - resized_height) // 2, (target_width - resized_width) // 2
        out = torch.zeros(planes.shape[0], target_height, target_width)
        out[:, top:top + resized_height, left:left + resized_width] = planes
    else:
        # Offsets round half to even, as torchvision's center_crop.
        top, left = round((resized_height - target_height) / 2), round((resized_width - target_width) / 2)
        out = planes[:, top:top + target_height, left:left + target_width]
    if INPUT["channel_order"] == "BGR":
        out = out.flip(0)
    return out.permute(1, 2, 0).to(torch.uint8)


def normalize(pixels):
    """[N, H, W, C] raw pixel values (already resized to the model's resolution, channels in INPUT["channel_order"]) to the model's input."""
    pixels = torch.as_tensor(pixels, dtype=torch.float32)
    if pixels.dim() == 3:
        pixels = pixels.unsqueeze(-1)
    mean = torch.tensor(INPUT["mean"], dtype=torch.float32)
    std = torch.tensor(INPUT["std"], dtype=torch.float32)
    return ((pixels * INPUT["pixel_scale"] - mean) / std).permute(0, 3, 1, 2).contiguous()


if __name__ == "__main__":
    network = load()
    print(f"{DESCRIPTION['architecture']['kind']}: {sum(p.numel() for p in network.parameters())} parameters, "
          f"input {INPUT['channels']}x{INPUT['height']}x{INPUT['width']} {INPUT['channel_order']}, classes {CLASS_NAMES}")
