"""A torchvision ResNet-18 as PyTorch users save it, the reference for transfer from a .pth file
(tests/AutoNet.Training.Tests/Transfer/TorchvisionPthTransferTests.cs).

Request: {"path": where to write the .pth, "seed": int, "input": float32 tensor [B, 3, H, W]}.
Writes torch.save(torchvision.models.resnet18().state_dict(), path) under torch.manual_seed(seed) (the zip format
torch.save writes by default), and replies with the eval-mode logits [B, 1000] and pooled features [B, 512] on the input.
"""
import torch
import torchvision
from reference_io import decode, serve


def handle(request):
    torch.manual_seed(request["seed"])
    model = torchvision.models.resnet18()
    torch.save(model.state_dict(), request["path"])
    model.eval()
    x = decode(request["input"])
    captured = []
    model.fc.register_forward_hook(lambda module, inputs, output: captured.append(inputs[0]))
    with torch.no_grad():
        logits = model(x)
    return {"logits": logits, "features": captured[0]}


serve(handle)
