#!/usr/bin/env bash
# Search strategies at equal wall time (issue 12): each strategy searches the same space on the same training subset
# for the same time budget, with no final training, ASHA on, for each of several seeds. The budget is wall time, not a
# trial count, because what a user buys is time: a strategy that spends part of it on a warm-up (the proxy scores
# untrained networks first) pays for that inside the budget. The machine must be quiet for the whole run, and every
# strategy runs in the same session, so their wall times compare.
#
#   experiments/fashion-mnist/compare-strategies.sh [--budget 20m] [--seeds "0 1 2"] [--images 8000]
#       [--strategies "random evolution rl tpe proxy oneshot"] [--space macro-cnn-small-images] [--target 0.92]
#   experiments/fashion-mnist/compare-strategies.sh --report artifacts/fashion-mnist/strategies-STAMP [--target 0.85] ...
#
# --report summarises a recorded run again without searching (at another --target, say); give it the run's --budget,
# --images, --seeds, --strategies and --space, which name the experiments and the results file.
#
# For each strategy: mean ± sd over the seeds of the winner's test accuracy (the completed trial with the best
# validation accuracy, tested on the 10,000 official test images), of its validation accuracy, and of the training
# time it took to first reach --target validation accuracy (autonet compare's measure; "never" when a seed did not),
# and each search's own wall time ("finished after"), which a trial that ends its epoch after the budget can stretch.
# Writes experiments/fashion-mnist/results/strategies-<space>-<budget>.json and prints the table with each strategy's
# difference to random search.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
budget=20m
seeds="0 1 2"
images=8000
strategies="random evolution rl tpe proxy oneshot"
space=macro-cnn-small-images
target=0.92
report=
while [ $# -gt 0 ]; do
    case "$1" in
        --budget) budget="$2"; shift 2 ;;
        --seeds) seeds="$2"; shift 2 ;;
        --images) images="$2"; shift 2 ;;
        --strategies) strategies="$2"; shift 2 ;;
        --space) space="$2"; shift 2 ;;
        --target) target="$2"; shift 2 ;;
        --report) report="$2"; shift 2 ;;
        *) echo "compare-strategies.sh: unknown argument '$1' (expected --budget, --seeds, --images, --strategies, --space, --target or --report)" >&2; exit 2 ;;
    esac
done

workspace="${AUTONET_REFERENCE_WORKSPACE:-$root/artifacts/fashion-mnist}"
if [ -n "$report" ]; then
    out="$(cd "$report" && pwd)" || { echo "compare-strategies.sh: --report '$report' is not a folder of a recorded run (expected .../strategies-STAMP)" >&2; exit 2; }
    stamp="${out##*/strategies-}"
    workspace="$(dirname "$out")"
    for seed in $seeds; do
        names=()
        for strategy in $strategies; do
            [ -f "$out/$strategy-$seed.leaderboard.json" ] || { echo "compare-strategies.sh: $out has no $strategy-$seed.leaderboard.json (is --strategies or --seeds the recorded run's?)" >&2; exit 2; }
            # A run repeated alone (say, one a build disturbed) names its own experiment; the others follow the stamp.
            if [ -f "$out/$strategy-$seed.experiment" ]; then names+=("$(cat "$out/$strategy-$seed.experiment")"); else names+=("compare-$strategy-$seed-$stamp"); fi
        done
        "$root/autonet" compare "${names[@]}" --target "$target" --workspace "$workspace" --json > "$out/compare-$seed.json"
    done
fi
stamp="${stamp:-$(date -u +%Y%m%d-%H%M%S)}"
out="${out:-$workspace/strategies-$stamp}"
mkdir -p "$out"
for seed in $seeds; do
    [ -z "$report" ] || break
    names=()
    for strategy in $strategies; do
        name="compare-$strategy-$seed-$stamp"
        names+=("$name")
        echo "$name" > "$out/$strategy-$seed.experiment"
        echo "== $strategy, seed $seed, $budget"
        "$root/autonet" search --data fashion-mnist --space "$space" --strategy "$strategy" --scheduler asha \
            --time-budget "$budget" --final-training none --search-images "$images" --experiment "$name" --seed "$seed" \
            --workspace "$workspace" --plain > "$out/$strategy-$seed.log" 2>&1 || { echo "search failed: $out/$strategy-$seed.log" >&2; exit 1; }
        grep -E "finished after" "$out/$strategy-$seed.log" || true
        "$root/autonet" leaderboard "$name" --workspace "$workspace" --state all --top 100000 --json > "$out/$strategy-$seed.leaderboard.json"
    done
    "$root/autonet" compare "${names[@]}" --target "$target" --workspace "$workspace" --json > "$out/compare-$seed.json"
done

/usr/bin/python3 - "$out" "$budget" "$images" "$space" "$target" "$root/experiments/fashion-mnist/results" "$seeds" "$strategies" <<'PY'
import json, os, re, statistics, sys
out, budget, images, space, target, results = sys.argv[1:7]
seeds, strategies = sys.argv[7].split(), sys.argv[8].split()

def winner(board):
    completed = [t for t in board if t["state"] == "Completed" and t["validationAccuracy"] is not None]
    return max(completed, key=lambda t: t["validationAccuracy"]) if completed else None

def wall_seconds(log):
    # "finished after 6m41s" / "1h02m" / "58s": the search's own wall time, as the CLI printed it.
    match = re.search(r"finished after (?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", open(log).read())
    if match is None or not any(match.groups()):
        return None
    h, m, s = (int(g) if g else 0 for g in match.groups())
    return 3600 * h + 60 * m + s

def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"mean": statistics.fmean(values), "sd": statistics.stdev(values) if len(values) > 1 else 0.0, "n": len(values)}

rows = {}
for strategy in strategies:
    runs = []
    for seed in seeds:
        board = json.load(open(os.path.join(out, f"{strategy}-{seed}.leaderboard.json")))["trials"]
        compare = json.load(open(os.path.join(out, f"compare-{seed}.json")))
        entry = next(e for e in compare["experiments"] if e["strategy"] == strategy)
        best = winner(board)
        runs.append({
            "seed": int(seed), "trials": len(board), "completed": sum(t["state"] == "Completed" for t in board),
            "winner_validation": None if best is None else best["validationAccuracy"],
            "winner_test": None if best is None else best["testAccuracy"],
            "training_seconds_to_target": entry.get("secondsToTarget"),
            "wall_seconds": wall_seconds(os.path.join(out, f"{strategy}-{seed}.log")),
        })
    rows[strategy] = {
        "runs": runs,
        "winner_test": spread([r["winner_test"] for r in runs]),
        "winner_validation": spread([r["winner_validation"] for r in runs]),
        "seconds_to_target": spread([r["training_seconds_to_target"] for r in runs]),
        "reached_target": sum(r["training_seconds_to_target"] is not None for r in runs),
        "wall_seconds": spread([r["wall_seconds"] for r in runs]),
    }

result = {"budget": budget, "search_images": images, "space": space, "scheduler": "asha", "target": float(target),
          "seeds": [int(s) for s in seeds], "cores": os.cpu_count(), "strategies": rows}
os.makedirs(results, exist_ok=True)
path = os.path.join(results, f"strategies-{os.path.basename(space).removesuffix('.json')}-{budget}.json")
json.dump(result, open(path, "w"), indent=2)
base = rows.get("random", {}).get("winner_test")
print(f"\n{'strategy':10} {'winner test (mean ± sd)':>24} {'vs random':>10} {'reached ' + target:>14} {'s to target (mean)':>19} {'wall s (mean)':>14}")
for name, r in rows.items():
    t = r["winner_test"]
    test = "-" if t is None else f"{100 * t['mean']:.2f} ± {100 * t['sd']:.2f} %"
    diff = "-" if t is None or base is None else f"{100 * (t['mean'] - base['mean']):+.2f}"
    s = r["seconds_to_target"]
    seconds = "-" if s is None else f"{s['mean']:.0f}"
    reached = f"{r['reached_target']}/{len(seeds)}"
    w = r["wall_seconds"]
    wall = "-" if w is None else f"{w['mean']:.0f}"
    print(f"{name:10} {test:>24} {diff:>10} {reached:>14} {seconds:>19} {wall:>14}")
print(f"written to {path}")
PY
