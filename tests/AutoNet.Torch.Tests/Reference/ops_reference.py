"""PyTorch's side of the parity suite (tests/AutoNet.Torch.Tests/Parity): runs each named case on the inputs the C#
side made, backpropagates the C# upstream gradients, and returns outputs, their strides and the input gradients.

Request: {"cases": [{"name", "inputs": {name: tensor}, "grad": [names], "upstream": [tensor|null], "seed": int|null}]}
Reply:   {"cases": {name: {"outputs": [...], "strides": [...], "requires_grad": [...], "grads": {name: tensor|null}, "error": str|null}}}
"""
import torch

from reference_io import decode, serve
from ops_table_tensor import OPS as TENSOR_OPS
from ops_table_nn import OPS as NN_OPS

OPS = {**TENSOR_OPS, **NN_OPS}


def run_case(case):
    name = case["name"]
    if name not in OPS:
        return {"missing": True}
    inputs = {k: decode(v) for k, v in case["inputs"].items()}
    for k in case["grad"]:
        inputs[k].requires_grad_()
    try:
        if case.get("seed") is not None:
            torch.manual_seed(case["seed"])
        result = OPS[name](inputs)
        outputs = list(result) if isinstance(result, (tuple, list)) else [result]
        pairs = [(o, decode(u)) for o, u in zip(outputs, case["upstream"]) if u is not None]
        if pairs:
            torch.autograd.backward([o for o, _ in pairs], [u for _, u in pairs])
    except Exception as e:  # the C# side compares the message for error cases
        return {"error": str(e)}
    return {
        "outputs": [o.detach() for o in outputs],
        "strides": [list(o.stride()) for o in outputs],
        "requires_grad": [o.requires_grad for o in outputs],
        "grads": {k: inputs[k].grad for k in case["grad"]},
        "error": None,
    }


serve(lambda request: {"cases": {c["name"]: run_case(c) for c in request["cases"]}})
