"""The Pillow peer of the cache-build benchmark: decodes every image of a folder in one process.

Prints one JSON line: {"images_per_second": ..., "images": ..., "seconds": ...}. Run with /usr/bin/python3.
The files are listed before the clock starts; each is opened and fully decoded to an array (np.asarray).
"""
import argparse
import json
import os
import time

import numpy as np
from PIL import Image


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    args = parser.parse_args()
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(args.folder) for f in names if f.endswith(".png"))
    start = time.perf_counter()
    checksum = 0
    for path in files:
        with Image.open(path) as image:
            checksum += int(np.asarray(image)[0, 0])
    seconds = time.perf_counter() - start
    print(json.dumps({"images_per_second": len(files) / seconds, "images": len(files), "seconds": seconds, "checksum": checksum}))


if __name__ == "__main__":
    main()
