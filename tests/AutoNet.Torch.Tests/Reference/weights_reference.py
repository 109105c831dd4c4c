"""PyTorch's side of the weights-file tests: a small network with every kind of state-dict entry.

Request: {"write": path or null, "read": path or null, "input": tensor}. "write" saves a seeded network's state dict
with torch.save (zip format, as torchvision's weights are) and returns its output on the input; "read" loads a state
dict AutoNet wrote into the same network (strict) and returns its output. The network is in eval mode.
"""
import torch
import torch.nn.functional as F
from reference_io import decode, serve


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4, 5)

    def forward(self, x):
        return self.fc(F.relu(self.bn(self.conv(x))).mean((2, 3)))


def handle(request):
    x = decode(request["input"])
    reply = {}
    if request.get("write"):
        torch.manual_seed(3)
        net = Net()
        with torch.no_grad():
            net.bn.running_mean.uniform_(-0.5, 0.5)
            net.bn.running_var.uniform_(0.5, 2.0)
            net.bn.weight.uniform_(0.5, 1.5)
            net.bn.num_batches_tracked.fill_(7)
        net.eval()
        torch.save(net.state_dict(), request["write"])
        reply["written"] = net(x)
    if request.get("read"):
        net = Net()
        net.load_state_dict(torch.load(request["read"]), strict=True)
        net.eval()
        reply["read"] = net(x)
        reply["num_batches_tracked"] = int(net.bn.num_batches_tracked)
    return reply


serve(handle)
