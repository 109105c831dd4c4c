"""A tiny, independent pure-Python safetensors reader and writer (python3-safetensors is not installed here).

Request: {"read": path or null, "write": path or null}. "read" parses a file written by AutoNet and returns its
header length, metadata, header order and every tensor as raw bytes; "write" writes seeded tensors of every dtype
(data ordered by element size then name, as the reference implementation does) with metadata and returns them.
A tensor travels as {"dtype": safetensors name, "shape": [...], "data": base64 of its raw bytes}.
"""
import base64
import json
import struct

import torch
from reference_io import serve

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
          "BOOL": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


def raw(tensor):
    tensor = tensor.contiguous()
    data = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
    return {"dtype": NAMES[tensor.dtype], "shape": list(tensor.shape), "data": base64.b64encode(data).decode()}


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    buffer = memoryview(blob)[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        if end > begin:
            t = torch.frombuffer(bytearray(buffer[begin:end]), dtype=dtype).reshape(info["shape"])
        else:
            t = torch.empty(info["shape"], dtype=dtype)
        tensors[name] = raw(t)
    return {"header_length": n, "metadata": metadata, "order": list(header.keys()), "buffer_length": len(buffer),
            "tensors": tensors}


def sample(dtype, shape):
    if dtype == torch.bool:
        return torch.rand(shape) > 0.5
    if dtype.is_floating_point:
        return (torch.randn(shape) * 3).to(dtype)
    info = torch.iinfo(dtype)
    return torch.randint(max(info.min, -1000), min(info.max, 1000) + 1, shape, dtype=dtype)


def write(path):
    tensors = {}
    for i, (name, dtype) in enumerate(DTYPES.items()):
        tensors[f"py.{name.lower()}"] = sample(dtype, [2, i + 1, 3])
    tensors["py.scalar"] = torch.tensor(2.5, dtype=torch.float64)
    tensors["py.empty"] = torch.empty([0, 4], dtype=torch.float32)
    order = sorted(tensors, key=lambda k: (-tensors[k].element_size(), k))
    header = {"__metadata__": {"format": "pt", "writer": "safetensors_reference.py"}}
    chunks, offset = [], 0
    for name in order:
        t = tensors[name].contiguous()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)
    return {"metadata": header["__metadata__"], "tensors": {k: raw(v) for k, v in tensors.items()}}


def handle(request):
    return {"read": read(request["read"]) if request.get("read") else None,
            "write": write(request["write"]) if request.get("write") else None}


serve(handle)
