"""The PyTorch peer of the throughput benchmark: the same reference CNN, data, optimizer and step.

Prints one JSON line: {"images_per_second": ..., "steps": ..., "threads": ...}.
Run with Debian's /usr/bin/python3 (python3-torch 1.13, the same libtorch AutoNet links).
"""
import argparse
import json
import time

import torch
from torch import nn


def reference_cnn():
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]

    return nn.Sequential(*block(1, 32), *block(32, 64), nn.MaxPool2d(2), *block(64, 128), nn.MaxPool2d(2),
                         *block(128, 128), *block(128, 256), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 10))


def make_batches(batch, count):
    # Throughput does not depend on pixel values; fixed random batches keep both sides free of data loading.
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(count, batch, 1, 28, 28, generator=generator)
    y = torch.randint(0, 10, (count, batch), generator=generator)
    return x, y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = reference_cnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x, y = make_batches(args.batch, 8)
    model.train()

    def step(i):
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(x[i % 8]), y[i % 8])
        loss.backward()
        optimizer.step()
        return loss

    for i in range(args.warmup):
        step(i)
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(args.steps):
        loss = step(i)
    loss.item()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    params = sum(p.numel() for p in model.parameters())
    # Images per CPU-second too: on a busy machine wall time measures the neighbours, CPU time far less so.
    print(json.dumps({"images_per_second": args.steps * args.batch / elapsed, "images_per_cpu_second": args.steps * args.batch / cpu,
                      "steps": args.steps, "threads": args.threads, "parameters": params}))


if __name__ == "__main__":
    main()
