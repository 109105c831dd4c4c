"""Cache-build benchmark: AutoNet's decoded-cache build against Pillow decoding the same PNGs.

Writes 10,000 Fashion-MNIST training images once as PNGs into class folders under /tmp, then alternates
AutoNet (DecodedCache build, 2 decoder threads by default) and Pillow (as many worker processes as AutoNet has
threads) for several rounds and reports medians and the median of the per-round ratios. Results go to
results/cache_build.json.
"""
import argparse
import datetime
import gzip
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile

import numpy as np
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent
FASHION = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot"]


def write_folder(folder, count):
    """The first `count` training images as 28 x 28 grey PNGs, one sub-folder per class; kept between runs."""
    marker = folder / ".complete"
    if marker.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    with gzip.open(os.path.join(FASHION, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    for name in CLASSES:
        (folder / name).mkdir(parents=True)
    for i in range(count):
        Image.fromarray(images[i]).save(folder / CLASSES[labels[i]] / f"{i:05d}.png")
    marker.write_text("")


def run(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--autonet", required=True, help="path to the built CacheBuild.dll")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--folder", default=f"/tmp/autonet-bench-fashion-png-{10_000}")
    args = parser.parse_args()
    folder = pathlib.Path(args.folder)
    write_folder(folder, args.images)
    pillow_cmd = ["/usr/bin/python3", str(HERE / "cache_build_pillow.py"), "--folder", str(folder), "--processes", str(args.threads)]
    rounds = []
    for r in range(args.rounds):
        workspace = tempfile.mkdtemp(prefix="autonet-bench-cache-")
        autonet_cmd = ["dotnet", args.autonet, "--folder", str(folder), "--workspace", workspace, "--threads", str(args.threads)]
        try:
            if r % 2 == 0:
                autonet, pillow = run(autonet_cmd), run(pillow_cmd)
            else:
                pillow, autonet = run(pillow_cmd), run(autonet_cmd)
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        ratio = autonet["images_per_second"] / pillow["images_per_second"]
        rounds.append({"autonet": autonet["images_per_second"], "pillow": pillow["images_per_second"], "ratio": ratio,
                       "autonet_seconds": autonet["seconds"], "autonet_scan_seconds": autonet["scan_seconds"],
                       "autonet_stages": autonet.get("stages"), "pillow_seconds": pillow["seconds"],
                       "load_average_1min": os.getloadavg()[0]})
        print(f"round {r + 1}: autonet {autonet['images_per_second']:.0f} img/s (build {autonet['seconds']:.2f}s, scan "
              f"{autonet['scan_seconds']:.2f}s), pillow {pillow['images_per_second']:.0f} img/s, ratio {ratio:.3f}", flush=True)
    result = {
        "benchmark": "cache_build", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "images": autonet["images"], "image_size": "28x28 grey PNG (Fashion-MNIST train[:10000])",
        "autonet_threads": args.threads, "pillow_processes": args.threads, "cpu_count": os.cpu_count(),
        "autonet_decoder": "SkiaSharp 4.156.1", "pillow_version": Image.__version__,
        "note": "shared machine: see load_average_1min per round (other sessions were building and testing meanwhile)",
        "autonet_measures": "DecodedCache.Open: fingerprint + header pass + decode + write cache files (scan and library load excluded)",
        "pillow_measures": "Image.open + np.asarray for each file in one process",
        "autonet_median": statistics.median(r["autonet"] for r in rounds),
        "pillow_median": statistics.median(r["pillow"] for r in rounds),
        "ratio_median": statistics.median(r["ratio"] for r in rounds), "rounds": rounds,
    }
    out = HERE / "results" / "cache_build.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"median: autonet {result['autonet_median']:.0f} img/s ({args.threads} threads), pillow {result['pillow_median']:.0f} img/s "
          f"({args.threads} processes) (recorded in {out})")
    print(f"ratio autonet/pillow: {result['ratio_median']:.2f}")


if __name__ == "__main__":
    main()
