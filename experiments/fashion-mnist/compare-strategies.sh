#!/usr/bin/env bash
# Random search vs regularized evolution vs the RL controller (issue 5) under the same budget and seed: each strategy
# gets the same number of trials of the reference space on the same 4,000-image training subset (the same split and
# validation images), ASHA on, seed 0. A trial budget rather than a wall-clock one keeps the comparison independent of
# how busy the machine is; the wall time each strategy took is recorded beside it.
#
#   experiments/fashion-mnist/compare-strategies.sh [--trials 30] [--seed 0] [--images 4000]
#
# Writes experiments/fashion-mnist/results/strategies-<seed>.json and prints the table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
trials=30
seed=0
images=4000
while [ $# -gt 0 ]; do
    case "$1" in
        --trials) trials="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --images) images="$2"; shift 2 ;;
        *) echo "compare-strategies.sh: unknown argument '$1' (expected --trials N, --seed N or --images N)" >&2; exit 2 ;;
    esac
done

workspace="${AUTONET_REFERENCE_WORKSPACE:-$root/artifacts/fashion-mnist}"
stamp="$(date -u +%Y%m%d-%H%M%S)"
out="$workspace/strategies-$seed-$stamp"
mkdir -p "$out"
names=()
for strategy in random evolution rl; do
    name="compare-$strategy-$seed-$stamp"
    names+=("$name")
    echo "== $strategy ($trials trials, seed $seed)"
    started=$(date +%s.%N)
    "$root/autonet" search --data fashion-mnist --space "$root/experiments/fashion-mnist/space.json" --strategy "$strategy" --scheduler asha \
        --max-trials "$trials" --search-images "$images" --experiment "$name" --seed "$seed" --workspace "$workspace" --plain \
        | tee "$out/$strategy.log" | grep -E "completed|finished after" || true
    finished=$(date +%s.%N)
    echo "{\"started\": $started, \"finished\": $finished, \"load_after\": $(cut -d' ' -f1 /proc/loadavg)}" > "$out/$strategy.time.json"
    "$root/autonet" leaderboard "$name" --workspace "$workspace" --state all --top 1000 --json > "$out/$strategy.leaderboard.json"
done
"$root/autonet" compare "${names[@]}" --workspace "$workspace" --json > "$out/compare.json"

/usr/bin/python3 - "$out" "$trials" "$seed" "$images" "$root/experiments/fashion-mnist/results" <<'PY'
import json, os, sys
out, trials, seed, images, results = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rows = {}
for strategy in ["random", "evolution", "rl"]:
    board = json.load(open(os.path.join(out, f"{strategy}.leaderboard.json")))["trials"]
    timing = json.load(open(os.path.join(out, f"{strategy}.time.json")))
    scored = [t for t in board if t["validationAccuracy"] is not None]
    best = max(scored, key=lambda t: t["validationAccuracy"])
    completed = [t for t in board if t["state"] == "Completed"]
    best_completed = max(completed, key=lambda t: t["validationAccuracy"]) if completed else None
    rows[strategy] = {
        "trials": len(board),
        "completed": len(completed),
        "pruned": sum(t["state"] == "Pruned" for t in board),
        "failed": sum(t["state"] == "Failed" for t in board),
        "epochs": sum(t["epochs"] for t in board),
        "best_validation_accuracy": best["validationAccuracy"],
        "best_completed_trial": None if best_completed is None else {
            "trial": best_completed["trial"], "validation_accuracy": best_completed["validationAccuracy"],
            "test_accuracy": best_completed["testAccuracy"], "parameters": best_completed["parameters"]},
        "median_validation_accuracy_of_completed": sorted(t["validationAccuracy"] for t in completed)[len(completed) // 2] if completed else None,
        "wall_seconds": timing["finished"] - timing["started"],
        "load_average_after": timing["load_after"],
    }
result = {"budget": {"trials_per_strategy": trials, "search_images": images, "scheduler": "asha", "space": "experiments/fashion-mnist/space.json"},
          "seed": seed, "cores": os.cpu_count(), "strategies": rows}
os.makedirs(results, exist_ok=True)
path = os.path.join(results, f"strategies-{seed}.json")
json.dump(result, open(path, "w"), indent=2)
base = rows["random"]["best_validation_accuracy"]
print(f"\n{'strategy':10} {'trials':>6} {'done':>5} {'epochs':>6} {'best val':>9} {'vs random':>9} {'best done: val / test':>22} {'wall':>8}")
for name, r in rows.items():
    b = r["best_completed_trial"]
    done = "-" if b is None else f"{b['validation_accuracy']:.4f} / {b['test_accuracy']:.4f}"
    print(f"{name:10} {r['trials']:6} {r['completed']:5} {r['epochs']:6} {r['best_validation_accuracy']:9.4f} {r['best_validation_accuracy'] / base:9.3f} {done:>22} {r['wall_seconds'] / 60:7.1f}m")
print(f"written to {path}")
PY
