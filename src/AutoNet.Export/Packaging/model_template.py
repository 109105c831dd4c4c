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

DESCRIPTION is a copy of model.json (architecture, input description, class names, model card). The module tree and
state-dict keys are AutoNet's (torchvision's for backbones), so net.state_dict() matches weights.safetensors.
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


# ---- cell ops (DARTS' operations.py) ---------------------------------------------------------------------------

class ReLUConvBN(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride, padding):
        super().__init__()
        self.op = nn.Sequential(nn.ReLU(), nn.Conv2d(c_in, c_out, kernel, stride, padding, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        return self.op(x)


class DilConv(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride, padding, dilation):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(),
            nn.Conv2d(c_in, c_in, kernel, stride, padding, dilation=dilation, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_out, 1, bias=False),
            nn.BatchNorm2d(c_out))

    def forward(self, x):
        return self.op(x)


class SepConv(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride, padding):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(),
            nn.Conv2d(c_in, c_in, kernel, stride, padding, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_in, 1, bias=False),
            nn.BatchNorm2d(c_in),
            nn.ReLU(),
            nn.Conv2d(c_in, c_in, kernel, 1, padding, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_out, 1, bias=False),
            nn.BatchNorm2d(c_out))

    def forward(self, x):
        return self.op(x)


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        if self.stride == 1:
            return x.mul(0.0)
        return x[:, :, ::self.stride, ::self.stride].mul(0.0)


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv_1 = nn.Conv2d(c_in, c_out // 2, 1, 2, bias=False)
        self.conv_2 = nn.Conv2d(c_in, c_out // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = F.relu(x)
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(x[:, :, 1:, 1:])], dim=1))


def factorized_conv(c, kernel, stride):
    return nn.Sequential(
        nn.ReLU(),
        nn.Conv2d(c, c, (1, kernel), (1, stride), (0, kernel // 2), bias=False),
        nn.Conv2d(c, c, (kernel, 1), (stride, 1), (kernel // 2, 0), bias=False),
        nn.BatchNorm2d(c))


OPS = {
    "none": lambda c, s: Zero(s),
    "skip_connect": lambda c, s: nn.Identity() if s == 1 else FactorizedReduce(c, c),
    "avg_pool_3x3": lambda c, s: nn.AvgPool2d(3, s, 1, count_include_pad=False),
    "max_pool_3x3": lambda c, s: nn.MaxPool2d(3, s, 1),
    "max_pool_5x5": lambda c, s: nn.MaxPool2d(5, s, 2),
    "max_pool_7x7": lambda c, s: nn.MaxPool2d(7, s, 3),
    "sep_conv_3x3": lambda c, s: SepConv(c, c, 3, s, 1),
    "sep_conv_5x5": lambda c, s: SepConv(c, c, 5, s, 2),
    "sep_conv_7x7": lambda c, s: SepConv(c, c, 7, s, 3),
    "dil_conv_3x3": lambda c, s: DilConv(c, c, 3, s, 2, 2),
    "dil_conv_5x5": lambda c, s: DilConv(c, c, 5, s, 4, 2),
    "conv_1x1": lambda c, s: ReLUConvBN(c, c, 1, s, 0),
    "conv_3x3": lambda c, s: ReLUConvBN(c, c, 3, s, 1),
    "conv_3x1_1x3": lambda c, s: factorized_conv(c, 3, s),
    "conv_7x1_1x7": lambda c, s: factorized_conv(c, 7, s),
}


# ---- cell networks (DARTS' NetworkCIFAR without the auxiliary head) ------------------------------------------

def output_states(cell):
    """The states a cell concatenates: its explicit concat, else every block output no block reads."""
    if cell.get("concat") is not None:
        return list(cell["concat"])
    used = {edge["input"] for block in cell["blocks"] for edge in block}
    return [s for s in range(2, len(cell["blocks"]) + 2) if s not in used]


class Cell(nn.Module):
    def __init__(self, cell, c_prev_prev, c_prev, c, reduction, reduction_prev):
        super().__init__()
        self.preprocess0 = FactorizedReduce(c_prev_prev, c) if reduction_prev else ReLUConvBN(c_prev_prev, c, 1, 1, 0)
        self.preprocess1 = ReLUConvBN(c_prev, c, 1, 1, 0)
        edges = [edge for block in cell["blocks"] for edge in block]
        self._ops = nn.ModuleList(OPS[e["op"]](c, 2 if reduction and e["input"] < 2 else 1) for e in edges)
        self._inputs = [e["input"] for e in edges]
        self._concat = output_states(cell)
        self.multiplier = len(self._concat)

    def forward(self, s0, s1):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        for k in range(len(self._ops) // 2):
            a = self._ops[2 * k](states[self._inputs[2 * k]])
            b = self._ops[2 * k + 1](states[self._inputs[2 * k + 1]])
            states.append(a + b)
        return torch.cat([states[i] for i in self._concat], dim=1)


class CellNetwork(nn.Module):
    def __init__(self, genotype, settings):
        super().__init__()
        c = settings["initial_channels"]
        per_stage, stages = settings["cells_per_stage"], settings["stages"]
        stem = settings["stem_multiplier"] * c
        self.stem = nn.Sequential(nn.Conv2d(settings["input_channels"], stem, 3, padding=1, bias=False), nn.BatchNorm2d(stem))
        c_prev_prev, c_prev, reduction_prev = stem, stem, False
        self.cells = nn.ModuleList()
        for i in range(stages * per_stage + stages - 1):
            reduction = (i + 1) % (per_stage + 1) == 0
            if reduction:
                c *= 2
            cell = Cell(genotype["reduction" if reduction else "normal"], c_prev_prev, c_prev, c, reduction, reduction_prev)
            self.cells.append(cell)
            reduction_prev = reduction
            c_prev_prev, c_prev = c_prev, cell.multiplier * c
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(settings["dropout"])
        self.classifier = nn.Linear(c_prev, settings["num_classes"])

    def features(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return torch.flatten(self.global_pooling(s1), 1)

    def forward(self, x):
        return self.classifier(self.dropout(self.features(x)))


# ---- macro-cnn -------------------------------------------------------------------------------------------------

class PlainUnit(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class ResidualUnit(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, kernel, 1, kernel // 2, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = None
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class GlobalMaxPool(nn.Module):
    def forward(self, x):
        return F.adaptive_max_pool2d(x, 1)


class MacroCnn(nn.Module):
    def __init__(self, config):
        super().__init__()
        channels = config["input_channels"]
        down = config["downsampling"]
        self.stages = nn.ModuleList()
        for i, stage in enumerate(config["stages"]):
            units = []
            if i > 0 and down == "max_pool":
                units.append(nn.MaxPool2d(2))
            elif i > 0 and down == "avg_pool":
                units.append(nn.AvgPool2d(2))
            for j in range(stage["depth"]):
                stride = 2 if i > 0 and j == 0 and down == "strided_conv" else 1
                unit = ResidualUnit if stage["residual"] else PlainUnit
                units.append(unit(channels, stage["width"], stage["kernel_size"], stride))
                channels = stage["width"]
            self.stages.append(nn.Sequential(*units))
        self.global_pooling = GlobalMaxPool() if config["global_pooling"] == "max" else nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(config["dropout"])
        self.classifier = nn.Linear(channels, config["num_classes"])

    def features(self, x):
        for stage in self.stages:
            x = stage(x)
        return torch.flatten(self.global_pooling(x), 1)

    def forward(self, x):
        return self.classifier(self.dropout(self.features(x)))


# ---- torchvision backbones (same module trees and keys as torchvision 0.14) -----------------------------------

class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    def __init__(self, block, layers, num_classes, in_channels):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(block, 64, layers[0], 1)
        self.layer2 = self._make_layer(block, 128, layers[1], 2)
        self.layer3 = self._make_layer(block, 256, layers[2], 2)
        self.layer4 = self._make_layer(block, 512, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.feature_count = 512 * block.expansion
        # 0 classes: a feature extractor (a transfer network's backbone), no classifier weights.
        self.fc = nn.Linear(self.feature_count, num_classes) if num_classes else nn.Identity()

    def _make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = []
        for i in range(blocks):
            layers.append(block(self.inplanes, planes, stride if i == 0 else 1, downsample if i == 0 else None))
            self.inplanes = planes * block.expansion
        return nn.Sequential(*layers)

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return torch.flatten(self.avgpool(x), 1)

    def forward(self, x):
        return self.fc(self.features(x))


def make_divisible(value, divisor=8):
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def conv_norm_activation(c_in, c_out, kernel=3, stride=1, groups=1, activation=None):
    layers = [nn.Conv2d(c_in, c_out, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(c_out)]
    if activation is not None:
        layers.append(activation())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        hidden = inp * expand_ratio
        self.use_res_connect = stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            layers.append(conv_norm_activation(inp, hidden, 1, activation=nn.ReLU6))
        layers += [conv_norm_activation(hidden, hidden, 3, stride, hidden, nn.ReLU6), nn.Conv2d(hidden, oup, 1, 1, 0, bias=False),
                   nn.BatchNorm2d(oup)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    SETTINGS = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]

    def __init__(self, num_classes, in_channels, dropout):
        super().__init__()
        channel = make_divisible(32)
        layers = [conv_norm_activation(in_channels, channel, stride=2, activation=nn.ReLU6)]
        for t, c, n, s in self.SETTINGS:
            out = make_divisible(c)
            for i in range(n):
                layers.append(InvertedResidual(channel, out, s if i == 0 else 1, t))
                channel = out
        layers.append(conv_norm_activation(channel, 1280, 1, activation=nn.ReLU6))
        self.features = nn.Sequential(*layers)
        self.feature_count = 1280
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(1280, num_classes)) if num_classes else nn.Identity()

    def features_of(self, x):
        return torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1)

    def forward(self, x):
        return self.classifier(self.features_of(x))


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, squeeze):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.activation = nn.SiLU()
        self.scale_activation = nn.Sigmoid()

    def forward(self, x):
        return x * self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))


class MBConv(nn.Module):
    def __init__(self, expand, kernel, stride, c_in, c_out):
        super().__init__()
        self.use_res_connect = stride == 1 and c_in == c_out
        expanded = make_divisible(c_in * expand)
        layers = []
        if expanded != c_in:
            layers.append(conv_norm_activation(c_in, expanded, 1, activation=nn.SiLU))
        layers += [conv_norm_activation(expanded, expanded, kernel, stride, expanded, nn.SiLU),
                   SqueezeExcitation(expanded, max(1, c_in // 4)),
                   conv_norm_activation(expanded, c_out, 1)]
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        # Stochastic depth is the identity in eval mode, the only mode this file runs blocks in for inference.
        return self.block(x) + x if self.use_res_connect else self.block(x)


class EfficientNetB0(nn.Module):
    B0 = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3), (6, 5, 1, 80, 112, 3),
          (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]

    def __init__(self, num_classes, in_channels, dropout):
        super().__init__()
        layers = [conv_norm_activation(in_channels, 32, stride=2, activation=nn.SiLU)]
        for expand, kernel, stride, c_in, c_out, blocks in self.B0:
            layers.append(nn.Sequential(*[MBConv(expand, kernel, stride if i == 0 else 1, c_in if i == 0 else c_out, c_out) for i in range(blocks)]))
        layers.append(conv_norm_activation(320, 1280, 1, activation=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.feature_count = 1280
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(1280, num_classes)) if num_classes else nn.Identity()

    def features_of(self, x):
        return torch.flatten(self.avgpool(self.features(x)), 1)

    def forward(self, x):
        return self.classifier(self.features_of(x))


def backbone(arch):
    name, classes, channels = arch["name"], arch["num_classes"], arch["in_channels"]
    dropout = arch.get("dropout")
    if name == "resnet18":
        return ResNet(BasicBlock, [2, 2, 2, 2], classes, channels)
    if name == "resnet34":
        return ResNet(BasicBlock, [3, 4, 6, 3], classes, channels)
    if name == "resnet50":
        return ResNet(Bottleneck, [3, 4, 6, 3], classes, channels)
    if name == "mobilenet_v2":
        return MobileNetV2(classes, channels, 0.2 if dropout is None else dropout)
    if name == "efficientnet_b0":
        return EfficientNetB0(classes, channels, 0.2 if dropout is None else dropout)
    raise ValueError(f"model.json: unknown backbone {name!r}")


# ---- transfer: a trained network's features with a new head ---------------------------------------------------

def features(net, x):
    """The pooled features [N, F] a network's classifier reads (its penultimate output)."""
    if isinstance(net, (CellNetwork, MacroCnn, ResNet, TransferNetwork)):
        return net.features(x)
    return net.features_of(x)


def feature_map(net, x):
    """The last feature map [N, F, H, W] of a torchvision backbone (or of a transfer network's), before pooling."""
    if isinstance(net, TransferNetwork):
        return feature_map(net.backbone, x)
    if isinstance(net, ResNet):
        x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
        return net.layer4(net.layer3(net.layer2(net.layer1(x))))
    if isinstance(net, (MobileNetV2, EfficientNetB0)):
        return net.features(x)
    raise ValueError(f"model.json: a cell head needs a torchvision backbone's feature map, not a {type(net).__name__}")


def feature_count(net):
    if isinstance(net, (CellNetwork, MacroCnn)):
        return net.classifier.in_features
    return net.feature_count


class CellHead(nn.Module):
    """A searched normal cell reading the feature map as both of its inputs, then pooling, dropout and a linear layer."""

    def __init__(self, cell, c_in, channels, num_classes, dropout):
        super().__init__()
        self.cell = Cell(cell, c_in, c_in, channels, False, False)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(self.cell.multiplier * channels, num_classes)

    def forward(self, x):
        return self.classifier(self.dropout(torch.flatten(F.adaptive_avg_pool2d(self.cell(x, x), 1), 1)))


class TransferNetwork(nn.Module):
    """A trained network's features (its own classifier unused) under a new linear, MLP or cell head."""

    def __init__(self, backbone, head, num_classes):
        super().__init__()
        self.backbone = backbone
        self.feature_count = feature_count(backbone)
        kind, f, dropout = head["kind"], self.feature_count, head["dropout"]
        self.reads_feature_map = kind == "cell"
        if kind == "linear":
            self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(f, num_classes))
        elif kind == "mlp":
            hidden = head["hidden"]
            self.head = nn.Sequential(nn.Linear(f, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, num_classes))
        elif kind == "cell":
            self.head = CellHead(head["cell"], f, head["cell_channels"], num_classes, dropout)
        else:
            raise ValueError(f"model.json: unknown transfer head kind {kind!r}")

    def features(self, x):
        return features(self.backbone, x)

    def forward(self, x):
        return self.head(feature_map(self.backbone, x) if self.reads_feature_map else self.features(x))


def build(arch):
    """The network model.json's "architecture" describes, with fresh weights."""
    kind = arch["kind"]
    if kind == "cell_network":
        return CellNetwork(arch["genotype"], arch["settings"])
    if kind == "macro_cnn":
        return MacroCnn(arch["config"])
    if kind == "backbone":
        return backbone(arch)
    if kind == "transfer":
        return TransferNetwork(build(arch["base"]), arch["head"], arch["num_classes"])
    raise ValueError(f"model.json: unknown architecture kind {kind!r}")


def load(directory=None, description=None):
    """Builds the network and loads weights.safetensors from `directory` (default: this file's folder); eval mode."""
    directory = directory or os.path.dirname(os.path.abspath(__file__))
    net = build((description or DESCRIPTION)["architecture"])
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
