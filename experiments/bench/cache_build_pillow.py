"""The Pillow peer of the cache-build benchmark: decodes every image of a folder in one process.

Prints one JSON line: {"images_per_second": ..., "images": ..., "seconds": ...}. Run with /usr/bin/python3.
The files are listed before the clock starts; each is opened and fully decoded to an array (np.asarray).
--processes N (the driver passes AutoNet's thread count) decodes in N worker processes, started and warmed before
the clock, each taking every N-th file; 1 decodes in this process.
"""
import argparse
import json
import multiprocessing
import os
import time

import numpy as np
from PIL import Image


def decode_all(files):
    checksum = 0
    for path in files:
        with Image.open(path) as image:
            checksum += int(np.asarray(image)[0, 0])
    return checksum


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(args.folder) for f in names if f.endswith(".png"))
    if args.processes == 1:
        start = time.perf_counter()
        checksum = decode_all(files)
    else:
        with multiprocessing.get_context("fork").Pool(args.processes) as pool:
            pool.map(decode_all, [files[:1]] * args.processes)  # workers up and Pillow's PNG plugin loaded
            start = time.perf_counter()
            checksum = sum(pool.map(decode_all, [files[i::args.processes] for i in range(args.processes)]))
    seconds = time.perf_counter() - start
    print(json.dumps({"images_per_second": len(files) / seconds, "images": len(files), "seconds": seconds, "checksum": checksum}))


if __name__ == "__main__":
    main()
