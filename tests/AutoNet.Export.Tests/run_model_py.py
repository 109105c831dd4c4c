"""Runs the model.py of AutoNet model packages under /usr/bin/python3 (torch, numpy) for AutoNet.Export's tests.

stdin: {"runs": [{"package": dir, "input": "x.f32", "shape": [N, C, H, W], "output_prefix": "/tmp/a",
                  "pixels": "p.f32", "pixels_shape": [N, H, W, C]}]}  (pixels optional: raw values for model.normalize)
Each package's model.py is imported on its own (only torch and numpy are used), load() builds the network and reads
weights.safetensors, and its logits, probabilities and features are written as raw float32 to <output_prefix>.<name>.f32.
stdout: {"torch": version, "results": [{"keys": n, "outputs": {name: {"file", "dims"}}}]}
"""
import importlib.util
import json
import sys

import numpy as np
import torch


def run(spec, index):
    module_spec = importlib.util.spec_from_file_location(f"autonet_model_{index}", spec["package"] + "/model.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    net = module.load()
    x = torch.from_numpy(np.fromfile(spec["input"], dtype="<f4").reshape(spec["shape"]))
    with torch.no_grad():
        logits = net(x)
        outputs = {"logits": logits, "probabilities": logits.softmax(1), "features": module.features(net, x)}
        if "pixels" in spec:
            pixels = np.fromfile(spec["pixels"], dtype="<f4").reshape(spec["pixels_shape"])
            outputs["normalized"] = module.normalize(pixels)
    described = {}
    for name, tensor in outputs.items():
        path = f"{spec['output_prefix']}.{name}.f32"
        tensor.numpy().astype("<f4").tofile(path)
        described[name] = {"file": path, "dims": list(tensor.shape)}
    return {"keys": len(net.state_dict()), "training": net.training, "class_names": module.CLASS_NAMES, "outputs": described}


def main():
    torch.set_num_threads(1)
    request = json.load(sys.stdin)
    json.dump({"torch": torch.__version__, "results": [run(spec, i) for i, spec in enumerate(request["runs"])]}, sys.stdout)


if __name__ == "__main__":
    main()
