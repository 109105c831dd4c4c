"""PyTorch's side of the RL controller's parity test: the same policy written with torch.nn.

Request: {"weights": path of a state dict AutoNet saved (torch.save format), "counts": [...], "hidden": n,
"temperature": T, "tanh_constant": c, "forced": [...], "advantage": a, "entropy_weight": w}. The weights load strictly
(so the state-dict names are PyTorch's); the reply has the log-probability and entropy of the forced choices and
every parameter's gradient of -a * log p - w * entropy, by name.
"""
import torch
import torch.nn.functional as F
from reference_io import serve


class Policy(torch.nn.Module):
    def __init__(self, counts, hidden):
        super().__init__()
        self.lstm = torch.nn.LSTMCell(hidden, hidden)
        self.start = torch.nn.Parameter(torch.empty(1, hidden))
        self.embeddings = torch.nn.ModuleList([torch.nn.Embedding(c, hidden) for c in counts])
        self.heads = torch.nn.ModuleList([torch.nn.Linear(hidden, c) for c in counts])

    def run(self, forced, temperature, tanh_constant):
        x, state = self.start, None
        log_p, entropy = torch.zeros(()), torch.zeros(())
        for t, choice in enumerate(forced):
            h, c = self.lstm(x, state)
            state = (h, c)
            logits = (torch.tanh(self.heads[t](h) / temperature) * tanh_constant).squeeze(0)
            log_softmax = F.log_softmax(logits, 0)
            log_p = log_p + log_softmax[choice]
            entropy = entropy - (log_softmax.exp() * log_softmax).sum()
            x = self.embeddings[t](torch.tensor([choice]))
        return log_p, entropy


def handle(request):
    policy = Policy(request["counts"], request["hidden"])
    policy.load_state_dict(torch.load(request["weights"]), strict=True)
    log_p, entropy = policy.run(request["forced"], request["temperature"], request["tanh_constant"])
    loss = -request["advantage"] * log_p - request["entropy_weight"] * entropy
    loss.backward()
    return {"log_probability": log_p, "entropy": entropy,
            "grads": {name: p.grad for name, p in policy.named_parameters()}}


serve(handle)
