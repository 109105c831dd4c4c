#!/usr/bin/env bash
# The reference search (issue 5): one hour of wall time on this machine for a search on Fashion-MNIST plus the final
# training of its winner, then the winner exported and its package evaluated on the 10,000 official test images.
# Afterwards (outside the hour) a scikit-learn peer is trained on the same data in the same run, for the ratios.
#
#   experiments/fashion-mnist/run.sh [--strategy evolution] [--seed 0]
#   experiments/fashion-mnist/run.sh --defaults     # the hour as a user runs it (issue 12): only --time-budget 1h
#
# With --defaults the search is `autonet search --data fashion-mnist --time-budget 1h` and nothing else that
# changes the search (the experiment name, workspace and plain output are bookkeeping): AutoNet chooses the space,
# strategy, subset and the split between search and final training, and the results file is reference-defaults-0.json.
#
# Writes experiments/fashion-mnist/results/reference-<strategy>-<seed>.json and prints the figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
strategy=evolution
seed=0
defaults=false
# The hour: 24 minutes of search on a 12,000-image subset, 30 minutes of final training on all 53,330 training
# images, the rest for the decoded cache, the last search epochs, export and evaluation. The variables exist only
# to try the script quickly (for example AUTONET_REFERENCE_SEARCH=2m AUTONET_REFERENCE_FINAL=1m).
search_budget="${AUTONET_REFERENCE_SEARCH:-24m}"
search_images="${AUTONET_REFERENCE_IMAGES:-12000}"
final_training="${AUTONET_REFERENCE_FINAL:-30m}"
while [ $# -gt 0 ]; do
    case "$1" in
        --strategy) strategy="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --defaults) defaults=true; strategy=defaults; shift ;;
        *) echo "run.sh: unknown argument '$1' (expected --strategy NAME, --seed N or --defaults)" >&2; exit 2 ;;
    esac
done

workspace="${AUTONET_REFERENCE_WORKSPACE:-$root/artifacts/fashion-mnist}"
name="reference-$strategy-$seed-$(date -u +%Y%m%d-%H%M%S)"
out="$workspace/$name"
mkdir -p "$out"
"$root/autonet" doctor --json > "$out/doctor.json" || true

started=$(date +%s.%N)
load_before=$(cut -d' ' -f1 /proc/loadavg)
# Progress goes to the terminal (plain lines, one per epoch) and to the log.
if [ "$defaults" = true ]; then
    "$root/autonet" search --data fashion-mnist --time-budget 1h --experiment "$name" --workspace "$workspace" --plain | tee "$out/search.log"
else
    "$root/autonet" search --data fashion-mnist --space "$root/experiments/fashion-mnist/space.json" --strategy "$strategy" --scheduler asha \
        --time-budget "$search_budget" --search-images "$search_images" --final-training "$final_training" \
        --experiment "$name" --seed "$seed" --workspace "$workspace" --plain | tee "$out/search.log"
fi
searched=$(date +%s.%N)
"$root/autonet" export best --experiment "$name" --workspace "$workspace" --out "$out/model" --format all --json > "$out/export.json"
"$root/autonet" evaluate "$out/model" --data fashion-mnist --split test --workspace "$workspace" --out "$out/evaluation" --json > "$out/evaluate.json"
finished=$(date +%s.%N)
load_after=$(cut -d' ' -f1 /proc/loadavg)

"$root/autonet" leaderboard "$name" --workspace "$workspace" --state all --top 1000 --json > "$out/leaderboard.json"
"$root/autonet" experiments --workspace "$workspace" --json > "$out/experiments.json"

/usr/bin/python3 "$root/experiments/fashion-mnist/report.py" --run "$out" --name "$name" --strategy "$strategy" --seed "$seed" \
    --started "$started" --searched "$searched" --finished "$finished" --load-before "$load_before" --load-after "$load_after" \
    --search-budget "$search_budget" --search-images "$search_images" --final-training "$final_training" \
    --results "$root/experiments/fashion-mnist/results"
