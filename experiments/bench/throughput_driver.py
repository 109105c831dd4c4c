"""Alternates AutoNet and PyTorch runs of the reference CNN and reports medians and their ratio.

Both get the same thread count, data, model, optimizer and step count. The machines are noisy, so the
order alternates each round and the median of the per-round ratios is the headline figure.
"""
import argparse
import datetime
import json
import os
import pathlib
import statistics
import subprocess

HERE = pathlib.Path(__file__).resolve().parent


def run(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--autonet", help="a build of the retired own binding's Throughput.dll (only to compare with it)")
    parser.add_argument("--torchsharp", help="path to the built Throughput.dll (TorchSharp)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    common = ["--threads", str(args.threads), "--steps", str(args.steps)]
    sides = {"pytorch": ["/usr/bin/python3", str(HERE / "throughput_pytorch.py"), *common]}
    if args.autonet:
        sides["autonet"] = ["dotnet", args.autonet, *common]
    if args.torchsharp:
        sides["torchsharp"] = ["dotnet", args.torchsharp, *common]
    if len(sides) < 2:
        parser.error("give --autonet and/or --torchsharp: PyTorch is measured against them")
    names = list(sides)
    rounds = []
    for r in range(args.rounds):
        # Rotate who goes first, so a machine that speeds up or slows down over a round favours no side.
        order = names[r % len(names):] + names[:r % len(names)]
        replies = {name: run(sides[name]) for name in order}
        measured = {name: replies[name]["images_per_second"] for name in names}
        per_cpu = {f"{name}_per_cpu_second": replies[name]["images_per_cpu_second"] for name in names}
        rounds.append({**measured, **per_cpu,
                       **{f"ratio_{n}": measured[n] / measured["pytorch"] for n in names if n != "pytorch"},
                       **{f"cpu_ratio_{n}": per_cpu[f"{n}_per_cpu_second"] / per_cpu["pytorch_per_cpu_second"] for n in names if n != "pytorch"}})
        print(f"round {r + 1}: " + ", ".join(f"{n} {measured[n]:.1f} img/s ({per_cpu[n + '_per_cpu_second']:.1f} per CPU-s)" for n in names),
              flush=True)
    result = {
        "benchmark": "throughput", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "threads": args.threads, "steps": args.steps, "batch": 128, "rounds": rounds,
    }
    for n in names:
        result[f"{n}_median"] = statistics.median(r[n] for r in rounds)
        result[f"{n}_per_cpu_second_median"] = statistics.median(r[f"{n}_per_cpu_second"] for r in rounds)
        if n != "pytorch":
            result[f"ratio_{n}_median"] = statistics.median(r[f"ratio_{n}"] for r in rounds)
            result[f"cpu_ratio_{n}_median"] = statistics.median(r[f"cpu_ratio_{n}"] for r in rounds)
    out = HERE / "results" / "throughput.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("median: " + ", ".join(f"{n} {result[n + '_median']:.1f} img/s" for n in names) + f" (recorded in {out})")
    for n in names:
        if n != "pytorch":
            print(f"ratio {n}/pytorch: {result['ratio_' + n + '_median']:.2f} (per CPU-second: {result['cpu_ratio_' + n + '_median']:.2f})")


if __name__ == "__main__":
    main()
