"""PyTorch's optimizers, learning-rate schedules and gradient clipping on tensors sent from C#.

Request: {"params": [t...], "grads": [[t per param] per grad set], "optimizers": [{"name", "kind": "SGD|AdamW",
"options": {...}, "groups": [{"indices": [...], ...group options}], "steps": n, "drop": [[step, param]...] (no gradient then)}], "schedules": [{"name", "kind":
"StepLR|OneCycleLR|WarmupCosine", "lr", "kwargs", "steps"}], "clips": [{"name", "max_norm", "norm_type"} or
{"name", "clip_value"}]}. Step s uses grad set s % len(grads). Reply: per optimizer the parameters after every
step; per schedule the learning rate after construction and after every step; per clip the returned norm and the
clipped gradients.
"""
import math

import torch
from reference_io import decode, serve


def run_optimizer(case, params0, grads):
    params = [p.clone().requires_grad_() for p in params0]
    groups = []
    for g in case["groups"]:
        group = {k: v for k, v in g.items() if k != "indices"}
        group["params"] = [params[i] for i in g["indices"]]
        groups.append(group)
    optimizer = getattr(torch.optim, case["kind"])(groups, foreach=False, **case["options"])
    trajectory = []
    for s in range(case["steps"]):
        dropped = {i for step, i in case.get("drop", []) if step == s}
        for i, (p, g) in enumerate(zip(params, grads[s % len(grads)])):
            p.grad = None if i in dropped else g.clone()
        optimizer.step()
        trajectory.append([p.detach().clone() for p in params])
    return trajectory


def warmup_cosine(warmup, total, min_factor):
    def factor(step):
        if step < warmup:
            return step / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * progress))
    return factor


def run_schedule(case):
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=case["lr"])
    kwargs = case["kwargs"]
    if case["kind"] == "WarmupCosine":
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, warmup_cosine(kwargs["warmup"], kwargs["total"], kwargs["min_factor"]))
    elif case["kind"] == "OneCycleLR":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, cycle_momentum=False, **kwargs)
    else:
        scheduler = getattr(torch.optim.lr_scheduler, case["kind"])(optimizer, **kwargs)
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(case["steps"]):
        optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    return rates


def run_clip(case, params0, grads):
    params = [p.clone().requires_grad_() for p in params0]
    for p, g in zip(params, grads[0]):
        p.grad = g.clone()
    if "clip_value" in case:
        torch.nn.utils.clip_grad_value_(params, case["clip_value"])
        norm = 0.0
    else:
        norm = float(torch.nn.utils.clip_grad_norm_(params, case["max_norm"], norm_type=float(case["norm_type"])))
    return {"norm": norm, "grads": [p.grad for p in params]}


def handle(request):
    params = [decode(p) for p in request["params"]]
    grads = [[decode(g) for g in grad_set] for grad_set in request["grads"]]
    return {
        "optimizers": {c["name"]: run_optimizer(c, params, grads) for c in request.get("optimizers", [])},
        "schedules": {c["name"]: run_schedule(c) for c in request.get("schedules", [])},
        "clips": {c["name"]: run_clip(c, params, grads) for c in request.get("clips", [])},
    }


serve(handle)
