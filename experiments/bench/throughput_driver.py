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
    parser.add_argument("--autonet", required=True, help="path to the built Throughput.dll")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    common = ["--threads", str(args.threads), "--steps", str(args.steps)]
    autonet_cmd = ["dotnet", args.autonet, *common]
    pytorch_cmd = ["/usr/bin/python3", str(HERE / "throughput_pytorch.py"), *common]
    rounds = []
    for r in range(args.rounds):
        first, second = (autonet_cmd, pytorch_cmd) if r % 2 == 0 else (pytorch_cmd, autonet_cmd)
        a = run(first)
        b = run(second)
        autonet, pytorch = (a, b) if r % 2 == 0 else (b, a)
        ratio = autonet["images_per_second"] / pytorch["images_per_second"]
        rounds.append({"autonet": autonet["images_per_second"], "pytorch": pytorch["images_per_second"], "ratio": ratio})
        print(f"round {r + 1}: autonet {autonet['images_per_second']:.1f} img/s, pytorch {pytorch['images_per_second']:.1f} img/s, "
              f"ratio {ratio:.3f}", flush=True)
    result = {
        "benchmark": "throughput", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "threads": args.threads, "steps": args.steps, "batch": 128, "parameters": autonet.get("parameters"),
        "autonet_median": statistics.median(r["autonet"] for r in rounds),
        "pytorch_median": statistics.median(r["pytorch"] for r in rounds),
        "ratio_median": statistics.median(r["ratio"] for r in rounds), "rounds": rounds,
    }
    out = HERE / "results" / "throughput.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"median: autonet {result['autonet_median']:.1f} img/s, pytorch {result['pytorch_median']:.1f} img/s (recorded in {out})")
    print(f"ratio autonet/pytorch: {result['ratio_median']:.2f}")


if __name__ == "__main__":
    main()
