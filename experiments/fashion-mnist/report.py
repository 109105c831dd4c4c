"""Summarises one run of run.sh and measures a scikit-learn peer on the same data in the same run.

The peer is a random forest (100 trees, every core) on the 60,000 official training images' raw pixels, scored on the
10,000 official test images: the strongest classical model that trains in a couple of minutes here. The published
anchors are printed beside it (they were not measured here).
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier

DATA = "/usr/share/datasets/fashion-mnist"
ANCHORS = {
    "sklearn best published (SVC, Fashion-MNIST benchmark)": 0.897,
    "AutoKeras (about 12+ GPU-hours)": 0.92,
    "Google Cloud AutoML Vision (24 compute hours)": 0.939,
}


def idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def sklearn_peer(threads):
    x_train = idx("train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float32) / 255
    y_train = idx("train-labels-idx1-ubyte.gz")
    x_test = idx("t10k-images-idx3-ubyte.gz").reshape(10000, -1).astype(np.float32) / 255
    y_test = idx("t10k-labels-idx1-ubyte.gz")
    clock = time.perf_counter()
    model = RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=0).fit(x_train, y_train)
    accuracy = float((model.predict(x_test) == y_test).mean())
    return {"model": "RandomForestClassifier(n_estimators=100, random_state=0) on raw pixels", "threads": threads,
            "test_accuracy": accuracy, "seconds": time.perf_counter() - clock}


def load(path):
    with open(path) as f:
        return json.load(f)


def autonet_choices(log_path):
    """What AutoNet chose and why, as the search printed it: the indented reason lines at the top of search.log and the
    line planning the final training (so a --defaults result needs no hand-written budget)."""
    reasons, final_plan, heading = [], None, True
    with open(log_path) as f:
        for line in f:
            line = line.rstrip("\n")
            # The reasons end where the budget line starts the search's own output.
            heading = heading and not line.startswith("budget:")
            if heading and line.startswith("  "):
                reasons.append(line.strip())
            elif line.startswith("final training: trial"):
                final_plan = line
    return {"reasons": reasons, "final_training_plan": final_plan}


def main():
    p = argparse.ArgumentParser()
    for name in ["run", "name", "strategy", "seed", "started", "searched", "finished", "load-before", "load-after",
                 "search-budget", "search-images", "final-training", "results"]:
        p.add_argument("--" + name, required=True)
    a = p.parse_args()
    board = load(os.path.join(a.run, "leaderboard.json"))["trials"]
    export = load(os.path.join(a.run, "export.json"))
    evaluation = load(os.path.join(a.run, "evaluate.json"))
    final = [t for t in board if t["strategy"] == "final training"]
    search = [t for t in board if t["strategy"] != "final training"]
    winner = final[0] if final else None
    states = {}
    for t in search:
        states[t["state"]] = states.get(t["state"], 0) + 1
    seconds = {
        "search_and_final_training": float(a.searched) - float(a.started),
        "export_and_evaluation": float(a.finished) - float(a.searched),
        "total": float(a.finished) - float(a.started),
        "final_training": winner["seconds"] if winner else None,
        "search_trials_training": sum(t["seconds"] or 0 for t in search),
    }
    peer = sklearn_peer(os.cpu_count())
    accuracy = evaluation["accuracy"]
    result = {
        "experiment": a.name,
        "strategy": a.strategy,
        "seed": int(a.seed),
        # With --defaults AutoNet chose the split itself (its reasons are the first lines of search.log): the script's settings do not apply.
        "budget": {"time_budget": "1h", "chosen_by": "autonet", **autonet_choices(os.path.join(a.run, "search.log"))} if a.strategy == "defaults"
        else {"search": a.search_budget, "search_images": int(a.search_images), "final_training": a.final_training},
        "machine": {"cores": os.cpu_count(), "load_average_before": float(a.load_before), "load_average_after": float(a.load_after)},
        "search_trials": len(search),
        "search_trial_states": states,
        "search_epochs": sum(t["epochs"] for t in search),
        "best_search_trial": max(search, key=lambda t: t["validationAccuracy"] or 0) if search else None,
        "final_training": winner,
        "exported_trial": export.get("trial"),
        "exported_test_accuracy": accuracy,
        # The search scores a trial on each test image and its mirror where flips are allowed; the package, single views.
        "exported_trial_test_accuracy_flip_averaged": export.get("testAccuracyFlipAveraged"),
        "exported_test_images": evaluation["images"],
        "exported_macro_f1": evaluation["macroF1"],
        "seconds": seconds,
        "sklearn_peer": peer,
        "published_anchors": ANCHORS,
    }
    os.makedirs(a.results, exist_ok=True)
    path = os.path.join(a.results, f"reference-{a.strategy}-{a.seed}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=2)

    print(f"\nreference search {a.name}: {len(search)} search trials {states}, {result['search_epochs']} epochs")
    if winner:
        print(f"final training: trial {winner['trial']}, {winner['epochs']} epochs, {winner['seconds']:.0f} s, {winner['parameters']:,} parameters")
    print(f"exported winner (trial {export.get('trial')}) on the {evaluation['images']:,} test images: accuracy {accuracy:.4f}, macro F1 {evaluation['macroF1']:.4f}")
    print(f"wall time: {seconds['search_and_final_training'] / 60:.1f} min search + final training, {seconds['total'] / 60:.1f} min with export and evaluation")
    print(f"sklearn peer, same run: {peer['test_accuracy']:.4f} in {peer['seconds']:.0f} s -> AutoNet/peer accuracy {accuracy / peer['test_accuracy']:.3f}, "
          f"error rate ratio {(1 - accuracy) / (1 - peer['test_accuracy']):.3f}")
    for anchor, value in ANCHORS.items():
        print(f"  vs {anchor} {value:.3f}: ratio {accuracy / value:.3f}")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
