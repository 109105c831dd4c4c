"""Checks ONNX files with Debian's python3-onnx for AutoNet.Export's tests.

stdin: {"models": ["a.onnx", ...]}; stdout: {"onnx_version": "...", "results": [{"model", "ok", "error", "ir_version",
"opsets", "metadata", "inputs", "outputs"}]}, where inputs/outputs give each value's dims (ints or symbolic names) after
full_check's strict shape inference.
"""
import json
import sys

import onnx


def dims(value):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in value.type.tensor_type.shape.dim]


def check(path):
    result = {"model": path, "ok": False, "error": None}
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        result["ok"] = True
    except Exception as error:  # the message is the test's failure text
        result["error"] = f"{type(error).__name__}: {error}"
        return result
    result["ir_version"] = model.ir_version
    result["opsets"] = {o.domain: o.version for o in model.opset_import}
    result["metadata"] = {p.key: p.value for p in model.metadata_props}
    result["inputs"] = {v.name: dims(v) for v in model.graph.input}
    result["outputs"] = {v.name: dims(v) for v in model.graph.output}
    result["op_types"] = sorted({n.op_type for n in model.graph.node})
    return result


def main():
    request = json.load(sys.stdin)
    json.dump({"onnx_version": onnx.__version__, "results": [check(p) for p in request["models"]]}, sys.stdout)


if __name__ == "__main__":
    main()
