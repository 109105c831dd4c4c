"""The harness's own check: PyTorch's matmul and its input gradients for tensors sent from C#."""
from reference_io import decode, serve


def handle(request):
    a = decode(request["a"]).requires_grad_()
    b = decode(request["b"]).requires_grad_()
    y = a @ b
    y.backward(decode(request["grad"]))
    return {"y": y, "grad_a": a.grad, "grad_b": b.grad}


serve(handle)
