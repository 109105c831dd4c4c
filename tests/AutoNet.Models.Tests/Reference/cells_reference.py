"""PyTorch peer of AutoNet.Models' cell networks (DARTS' NetworkCIFAR, written from the paper's reference code) and
macro-cnn networks, with the same state_dict keys as the C# modules.

Request: {"kind": "cells" | "macro", "genotype"/"config": ..., "settings": ..., "input": tensor, "weights": path}.
Builds the network with seeded random weights (BN statistics too), writes them to `weights` as raw safetensors
(no safetensors package needed), and replies with eval-mode logits, parameter count, multiply-adds counted by
forward hooks on Conv2d/Linear, and a training-mode step: logits, and the gradient of sum(logits * probe) for
every parameter.
"""
import json
import struct

import torch
import torch.nn as nn
from reference_io import decode, serve

# ---- DARTS ops --------------------------------------------------------------------------------


class ReLUConvBN(nn.Module):
    def __init__(self, c_in, c_out, k, stride, padding):
        super().__init__()
        self.op = nn.Sequential(nn.ReLU(inplace=False), nn.Conv2d(c_in, c_out, k, stride, padding, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        return self.op(x)


class DilConv(nn.Module):
    def __init__(self, c_in, c_out, k, stride, padding, dilation):
        super().__init__()
        self.op = nn.Sequential(nn.ReLU(inplace=False),
                                nn.Conv2d(c_in, c_in, k, stride, padding, dilation=dilation, groups=c_in, bias=False),
                                nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        return self.op(x)


class SepConv(nn.Module):
    def __init__(self, c_in, c_out, k, stride, padding):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False), nn.Conv2d(c_in, c_in, k, stride, padding, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_in, 1, bias=False), nn.BatchNorm2d(c_in),
            nn.ReLU(inplace=False), nn.Conv2d(c_in, c_in, k, 1, padding, groups=c_in, bias=False),
            nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        return self.op(x)


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return x.mul(0.) if self.stride == 1 else x[:, :, ::self.stride, ::self.stride].mul(0.)


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.relu = nn.ReLU(inplace=False)
        self.conv_1 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.conv_2 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = self.relu(x)
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(x[:, :, 1:, 1:])], dim=1))


def factorized_conv(c, k, stride):
    return nn.Sequential(nn.ReLU(inplace=False),
                         nn.Conv2d(c, c, (1, k), stride=(1, stride), padding=(0, k // 2), bias=False),
                         nn.Conv2d(c, c, (k, 1), stride=(stride, 1), padding=(k // 2, 0), bias=False),
                         nn.BatchNorm2d(c))


OPS = {
    'none': lambda c, s: Zero(s),
    'avg_pool_3x3': lambda c, s: nn.AvgPool2d(3, stride=s, padding=1, count_include_pad=False),
    'max_pool_3x3': lambda c, s: nn.MaxPool2d(3, stride=s, padding=1),
    'max_pool_5x5': lambda c, s: nn.MaxPool2d(5, stride=s, padding=2),
    'max_pool_7x7': lambda c, s: nn.MaxPool2d(7, stride=s, padding=3),
    'skip_connect': lambda c, s: nn.Identity() if s == 1 else FactorizedReduce(c, c),
    'sep_conv_3x3': lambda c, s: SepConv(c, c, 3, s, 1),
    'sep_conv_5x5': lambda c, s: SepConv(c, c, 5, s, 2),
    'sep_conv_7x7': lambda c, s: SepConv(c, c, 7, s, 3),
    'dil_conv_3x3': lambda c, s: DilConv(c, c, 3, s, 2, 2),
    'dil_conv_5x5': lambda c, s: DilConv(c, c, 5, s, 4, 2),
    'conv_1x1': lambda c, s: ReLUConvBN(c, c, 1, s, 0),
    'conv_3x3': lambda c, s: ReLUConvBN(c, c, 3, s, 1),
    'conv_3x1_1x3': lambda c, s: factorized_conv(c, 3, s),
    'conv_7x1_1x7': lambda c, s: factorized_conv(c, 7, s),
}


class Cell(nn.Module):
    def __init__(self, cell, c_pp, c_p, c, reduction, reduction_prev):
        super().__init__()
        self.preprocess0 = FactorizedReduce(c_pp, c) if reduction_prev else ReLUConvBN(c_pp, c, 1, 1, 0)
        self.preprocess1 = ReLUConvBN(c_p, c, 1, 1, 0)
        edges = [edge for block in cell["blocks"] for edge in block]
        self._indices = [e["input"] for e in edges]
        self._ops = nn.ModuleList(OPS[e["op"]](c, 2 if reduction and e["input"] < 2 else 1) for e in edges)
        steps = len(cell["blocks"])
        if cell.get("concat") is not None:
            self._concat = cell["concat"]
        else:
            # NASNet's rule: every block output that no block reads.
            used = set(self._indices)
            self._concat = [s for s in range(2, steps + 2) if s not in used]
        self.multiplier = len(self._concat)

    def forward(self, s0, s1):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        for i in range(len(self._ops) // 2):
            states.append(self._ops[2 * i](states[self._indices[2 * i]]) + self._ops[2 * i + 1](states[self._indices[2 * i + 1]]))
        return torch.cat([states[i] for i in self._concat], dim=1)


class Network(nn.Module):
    def __init__(self, genotype, s):
        super().__init__()
        c = s["InitialChannels"]
        c_curr = s["StemMultiplier"] * c
        self.stem = nn.Sequential(nn.Conv2d(s["InputChannels"], c_curr, 3, padding=1, bias=False), nn.BatchNorm2d(c_curr))
        c_pp, c_p, c_curr = c_curr, c_curr, c
        n, stages = s["CellsPerStage"], s["Stages"]
        self.cells = nn.ModuleList()
        reduction_prev = False
        for stage in range(stages):
            kinds = [False] * n + ([True] if stage < stages - 1 else [])
            for reduction in kinds:
                if reduction:
                    c_curr *= 2
                cell = Cell(genotype["reduction" if reduction else "normal"], c_pp, c_p, c_curr, reduction, reduction_prev)
                reduction_prev = reduction
                self.cells.append(cell)
                c_pp, c_p = c_p, cell.multiplier * c_curr
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(s["Dropout"])
        self.classifier = nn.Linear(c_p, s["NumClasses"])

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(self.dropout(self.global_pooling(s1).flatten(1)))


# ---- macro-cnn --------------------------------------------------------------------------------


class PlainUnit(nn.Module):
    def __init__(self, c_in, c_out, k, stride):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, stride, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


class ResidualUnit(nn.Module):
    def __init__(self, c_in, c_out, k, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, k, stride, k // 2, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, k, 1, k // 2, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = None
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class MacroNetwork(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.stages = nn.ModuleList()
        c_in = config["InputChannels"]
        down = config["Downsampling"]
        for i, stage in enumerate(config["Stages"]):
            units = []
            if i > 0 and down in ("MaxPool", "AvgPool"):
                units.append(nn.MaxPool2d(2) if down == "MaxPool" else nn.AvgPool2d(2))
            for j in range(stage["Depth"]):
                stride = 2 if i > 0 and j == 0 and down == "StridedConv" else 1
                unit = ResidualUnit if stage["Residual"] else PlainUnit
                units.append(unit(c_in, stage["Width"], stage["KernelSize"], stride))
                c_in = stage["Width"]
            self.stages.append(nn.Sequential(*units))
        self.global_pooling = nn.AdaptiveMaxPool2d(1) if config["GlobalPooling"] == "Max" else nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(config["Dropout"])
        self.classifier = nn.Linear(c_in, config["NumClasses"])

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
        return self.classifier(self.dropout(self.global_pooling(x).flatten(1)))


# ---- measurement ------------------------------------------------------------------------------


def count_multiply_adds(model, x):
    total = [0]

    def conv_hook(m, inputs, output):
        per_position = (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        total[0] += output[0].numel() * per_position

    def linear_hook(m, inputs, output):
        total[0] += m.in_features * m.out_features

    handles = [m.register_forward_hook(conv_hook if isinstance(m, nn.Conv2d) else linear_hook)
               for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model(x[:1])
    for h in handles:
        h.remove()
    return total[0]


DTYPE_NAMES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def handle(request):
    torch.manual_seed(request.get("seed", 0))
    model = Network(request["genotype"], request["settings"]) if request["kind"] == "cells" else MacroNetwork(request["config"])
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    write_safetensors(request["weights"], model.state_dict())
    x = decode(request["input"])
    multiply_adds = count_multiply_adds(model.eval(), x)
    with torch.no_grad():
        eval_logits = model(x)
    model.train()
    train_logits = model(x)
    probe = torch.randn(train_logits.shape)
    (train_logits * probe).sum().backward()
    return {"eval_logits": eval_logits, "train_logits": train_logits.detach(), "probe": probe,
            "parameters": sum(p.numel() for p in model.parameters()), "multiply_adds": multiply_adds,
            "keys": list(model.state_dict().keys()),
            "grads": {name: p.grad for name, p in model.named_parameters()}}


serve(handle)
