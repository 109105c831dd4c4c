"""PyTorch's nn modules on the weights and inputs the C# tests send, for the NN parity tests.

Request: {"cases": [{"name", "spec", "state", "train", "input", "grad"}], "names": [spec, ...]}.
A spec is {"type": "Conv2d", "args": [...], "kwargs": {...}} (a torch.nn class) or
{"type": "Sequential" | "ModuleList", "children": [spec, ...]} or {"type": "ModuleDict", "children": {name: spec}}. Each case loads the C# module's state dict (strict), runs
forward in train or eval mode, back-propagates "grad", and replies with the output, the input's gradient,
every parameter's gradient and the state dict afterwards (running statistics included). "names" asks for the
state-dict keys and shapes of freshly built modules, to compare with C#'s.
"""
import torch

from reference_io import decode, serve


def build(spec):
    if spec["type"] in ("Sequential", "ModuleList"):
        return getattr(torch.nn, spec["type"])([build(child) for child in spec["children"]]) if spec["type"] == "ModuleList" \
            else torch.nn.Sequential(*[build(child) for child in spec["children"]])
    if spec["type"] == "ModuleDict":
        return torch.nn.ModuleDict({name: build(child) for name, child in spec["children"].items()})
    return getattr(torch.nn, spec["type"])(*spec.get("args", []), **spec.get("kwargs", {}))


def run_case(case):
    module = build(case["spec"]).double() if case.get("double") else build(case["spec"])
    module.load_state_dict({k: decode(v) for k, v in case["state"].items()}, strict=True)
    module.train(case["train"])
    x = decode(case["input"])
    if x.is_floating_point():
        x.requires_grad_()
    out = module(x)
    if isinstance(out, tuple):
        out = out[0]
    out.backward(decode(case["grad"]))
    return {
        "output": out,
        "grad_input": x.grad if x.grad is not None else None,
        "grads": {k: p.grad for k, p in module.named_parameters() if p.grad is not None},
        "state": dict(module.state_dict()),
    }


def run_recurrent(case):
    """An LSTM or LSTMCell from a given state (h, c) that requires grad; replies with outputs and all gradients."""
    module = build(case["spec"])
    module.load_state_dict({k: decode(v) for k, v in case["state"].items()}, strict=True)
    module.train(case["train"])
    x = decode(case["input"]).requires_grad_()
    h0 = decode(case["h0"]).requires_grad_()
    c0 = decode(case["c0"]).requires_grad_()
    out = module(x, (h0, c0))
    if isinstance(module, torch.nn.LSTM):
        y, (h, c) = out
    else:
        h, c = out
        y = h
    (y * decode(case["grad_y"])).sum().backward(retain_graph=True) if y is not h else None
    ((h * decode(case["grad_h"])).sum() + (c * decode(case["grad_c"])).sum()).backward()
    return {"y": y, "h": h, "c": c, "grad_input": x.grad, "grad_h0": h0.grad, "grad_c0": c0.grad,
            "grads": {k: p.grad for k, p in module.named_parameters()}}


def from_torch(case):
    """A module with PyTorch's own (seeded) initialisation, some training steps' running statistics, and its eval output."""
    module = build(case["spec"])
    with torch.no_grad():
        for _ in range(2):
            module(torch.randn(decode(case["input"]).shape))
    module.eval()
    return {"state": dict(module.state_dict()), "output": module(decode(case["input"]))}


def handle(request):
    reply = {"cases": {case["name"]: run_case(case) for case in request.get("cases", [])}}
    reply["recurrent"] = {case["name"]: run_recurrent(case) for case in request.get("recurrent", [])}
    reply["from_torch"] = [from_torch(case) for case in request.get("from_torch", [])]
    reply["names"] = [[[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in build(spec).state_dict().items()]
                      for spec in request.get("names", [])]
    return reply


serve(handle)
