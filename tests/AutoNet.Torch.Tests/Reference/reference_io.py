"""Tensor exchange between the C# tests and PyTorch (Debian's python3-torch, the same libtorch).

A tensor travels as {"shape": [...], "dtype": "float32|float64|int64|int32|uint8|bool", "data": base64 of
its little-endian bytes}, so values cross exactly. A reference script reads one JSON request on stdin
and writes one JSON reply on stdout.
"""
import base64
import json
import sys

import torch

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32,
          "uint8": torch.uint8, "bool": torch.bool, "float16": torch.float16, "bfloat16": torch.bfloat16}
NAMES = {v: k for k, v in DTYPES.items()}


def decode(obj):
    dtype = DTYPES[obj["dtype"]]
    raw = bytearray(base64.b64decode(obj["data"]))
    if len(raw) == 0:
        return torch.empty(obj["shape"], dtype=dtype)
    return torch.frombuffer(raw, dtype=dtype).reshape(obj["shape"]).clone()


def encode(tensor):
    tensor = tensor.detach().contiguous().cpu()
    # reshape(-1) first: a 0-dim tensor (e.g. BatchNorm's num_batches_tracked) cannot be viewed as bytes.
    data = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
    return {"shape": list(tensor.shape), "dtype": NAMES[tensor.dtype], "data": base64.b64encode(data).decode()}


def encode_tree(value):
    if isinstance(value, torch.Tensor):
        return encode(value)
    if isinstance(value, dict):
        return {k: encode_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_tree(v) for v in value]
    return value


def serve(handler):
    """Runs handler(request) -> reply (tensors allowed anywhere in it) over stdin/stdout."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    request = json.load(sys.stdin)
    json.dump(encode_tree(handler(request)), sys.stdout)
