"""torchvision's backbones as the reference for AutoNet's (tests/AutoNet.Models.Tests/Backbones).

Request:
  {"dir": folder for the weight files,
   "cases": [{"arch": torchvision function name, "seed": int, "num_classes": int, "input": tensor,
              "gray_input": tensor or absent, "train_weights": tensor or absent}],
   "init": [{"arch", "seed", "num_classes"}]}
For each case: torch.manual_seed(seed), the torchvision model, non-trivial BatchNorm (random affine parameters;
running statistics from two train-mode passes with cumulative averaging, so eval activations stay O(1)) and
random biases; its state dict is written to "<dir>/<arch>.safetensors" by the small writer below (python3-safetensors
is not installed here). Reply per case: the file, eval-mode logits and pooled features (the classifier's input) for
"input", logits for "gray_input" repeated to three channels, one training step from the same state in float32
("train") and in float64 ("train64", see train_step), the state dict's keys/shapes/dtypes in order, and the
parameter count. For each "init" entry: the freshly built model's state under torch.manual_seed(seed), as a digest
per key (float64 sum, sum of squares and the first 8 values), to compare initialisations without shipping them.
"""
import copy
import json
import os
import struct

import torch
import torchvision
from torch import nn
from reference_io import decode, serve

DTYPE_NAMES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, state):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(state):
        t = state[name].detach().contiguous()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
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


def randomise(model, size):
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.2)
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
                m.bias.normal_(0, 0.1)
        momenta = [m.momentum for m in norms]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None
        model.train()
        for _ in range(2):
            model(torch.randn(4, 3, size, size))
        for m, momentum in zip(norms, momenta):
            m.momentum = momentum
    model.eval()


def head_of(model):
    return model.fc if hasattr(model, "fc") else model.classifier


def run_case(folder, case):
    torch.manual_seed(case["seed"])
    model = getattr(torchvision.models, case["arch"])(num_classes=case["num_classes"])
    x = decode(case["input"])
    randomise(model, x.shape[-1])
    path = os.path.join(folder, case["arch"] + ".safetensors")
    write_safetensors(path, model.state_dict())
    captured = []
    hook = head_of(model).register_forward_pre_hook(lambda module, inputs: captured.append(inputs[0].clone()))
    with torch.no_grad():
        logits = model(x)
        reply = {"file": path, "logits": logits, "features": captured[0]}
        if case.get("gray_input"):
            gray = decode(case["gray_input"])
            reply["gray_logits"] = model(gray.repeat(1, 3, 1, 1))
    hook.remove()
    if case.get("train_weights"):
        weights = decode(case["train_weights"])
        model64 = copy.deepcopy(model).double()
        reply["train"] = train_step(model, x, weights)
        reply["train64"] = train_step(model64, x.double(), weights.double())
    reply["keys"] = [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items()]
    reply["params"] = sum(p.numel() for p in model.parameters())
    return reply


def train_step(model, x, weights):
    """One training-mode forward and backward of sum(features * weights) with stochastic depth off (features are
    taken before the classifier's dropout), in the model's dtype: the features, gradients of the first, middle and
    last backbone parameters, and the first BatchNorm's updated running mean. Run in float32 and, from the same
    state, in float64: float32 gradients of an early layer carry rounding amplified through every later layer
    (EfficientNet-B0's stem gradient: up to 0.02 from float64 whichever float32 kernels, more than the tests allow),
    so the gradients are compared in float64, where only the arithmetic of the network is left."""
    for m in model.modules():
        if type(m).__name__ == "StochasticDepth":
            m.p = 0.0
    model.train()
    captured = []
    hook = head_of(model).register_forward_pre_hook(lambda module, inputs: captured.append(inputs[0].clone()))
    model.zero_grad()
    model(x)
    hook.remove()
    features = captured[0]
    (features * weights).sum().backward()
    head = "fc." if hasattr(model, "fc") else "classifier."
    names = [k for k, _ in model.named_parameters() if not k.startswith(head)]
    chosen = [names[0], names[len(names) // 2], names[-1]]
    parameters = dict(model.named_parameters())
    first_norm = next(k for k, m in model.named_modules() if isinstance(m, nn.BatchNorm2d))
    return {"features": features.detach(), "grads": {k: parameters[k].grad for k in chosen},
            "running_mean": {first_norm + ".running_mean": model.state_dict()[first_norm + ".running_mean"]}}


def run_init(entry):
    torch.manual_seed(entry["seed"])
    model = getattr(torchvision.models, entry["arch"])(num_classes=entry["num_classes"])
    digest = {}
    for k, v in model.state_dict().items():
        d = v.detach().double().reshape(-1)
        digest[k] = [d.sum().item(), (d * d).sum().item()] + d[:8].tolist()
    return digest


def handle(request):
    torch.set_num_threads(2)
    return {"cases": [run_case(request["dir"], c) for c in request.get("cases", [])],
            "init": [run_init(e) for e in request.get("init", [])]}


serve(handle)
