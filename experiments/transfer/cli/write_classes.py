"""Writes Fashion-MNIST training images of some classes as 28 x 28 grey PNGs in one folder per class.

usage: write_classes.py FOLDER PER_CLASS FIRST_INDEX CLASSES   (CLASSES like 0,1,2,3,4)
Images FIRST_INDEX.. of each class in file order are taken, so two calls with disjoint ranges never share an image.
"""
import gzip
import os
import sys

import numpy as np
from PIL import Image

FOLDER = os.environ.get("AUTONET_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]

root, per_class, first, classes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(c) for c in sys.argv[4].split(",")]
with gzip.open(os.path.join(FOLDER, "train-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
with gzip.open(os.path.join(FOLDER, "train-labels-idx1-ubyte.gz")) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
for c in classes:
    folder = os.path.join(root, NAMES[c])
    os.makedirs(folder, exist_ok=True)
    for i in np.nonzero(labels == c)[0][first:first + per_class]:
        Image.fromarray(images[i]).save(os.path.join(folder, f"{i:05d}.png"))
