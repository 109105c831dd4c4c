#!/usr/bin/env bash
# Transfer from the command line (issue 11): a search on Fashion-MNIST classes 0-4 is exported, and its network is the
# backbone of a transfer search on classes 5-9 (`search --backbone-weights <package>`). A search from scratch on the
# same classes-5-9 folder (same split, seed, space family and epoch budget) is the baseline. Both winners are scored on
# the same test split with `autonet evaluate best`; the script prints both test accuracies and their ratio.
#
# usage: experiments/transfer/cli/run.sh [work folder]
# knobs (environment): PRETRAIN_PER_CLASS (600), TARGET_PER_CLASS (100), PRETRAIN_EPOCHS (24), TARGET_EPOCHS (12),
#                      TRIALS (6), SEED (0), DEVICE (cpu)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
work="${1:-$(mktemp -d /tmp/autonet-cli-transfer-XXXXXX)}"
pretrain_per_class="${PRETRAIN_PER_CLASS:-600}"
target_per_class="${TARGET_PER_CLASS:-100}"
pretrain_epochs="${PRETRAIN_EPOCHS:-24}"
target_epochs="${TARGET_EPOCHS:-12}"
trials="${TRIALS:-6}"
seed="${SEED:-0}"
device="${DEVICE:-cpu}"
cli=(dotnet "$repo/src/AutoNet.Cli/bin/Release/net10.0/AutoNet.Cli.dll")
[[ -f "${cli[1]}" ]] || dotnet build "$repo/src/AutoNet.Cli" -c Release -v:q -clp:ErrorsOnly

mkdir -p "$work"
echo "work folder: $work"
# Disjoint images: pretraining takes each class's first images, the target set images after them.
/usr/bin/python3 "$here/write_classes.py" "$work/pretrain" "$pretrain_per_class" 0 0,1,2,3,4
/usr/bin/python3 "$here/write_classes.py" "$work/target" "$target_per_class" 0 5,6,7,8,9

common=(--device "$device" --seed "$seed" --workspace "$work/workspace" --strategy random --scheduler asha --plain)
start=$SECONDS
"${cli[@]}" search --data "$work/pretrain" --space macro-cnn-tiny --max-trials "$trials" --max-epochs "$pretrain_epochs" --experiment pretrain "${common[@]}"
"${cli[@]}" export best --experiment pretrain --out "$work/pretrained" --format safetensors --workspace "$work/workspace"
pretrain_seconds=$((SECONDS - start))

start=$SECONDS
"${cli[@]}" search --data "$work/target" --backbone-weights "$work/pretrained" --max-trials "$trials" --max-epochs "$target_epochs" --experiment transfer "${common[@]}"
transfer_seconds=$((SECONDS - start))
start=$SECONDS
"${cli[@]}" search --data "$work/target" --space macro-cnn-tiny --max-trials "$trials" --max-epochs "$target_epochs" --experiment scratch "${common[@]}"
scratch_seconds=$((SECONDS - start))

"${cli[@]}" evaluate best --experiment transfer --workspace "$work/workspace" --json > "$work/transfer.json"
"${cli[@]}" evaluate best --experiment scratch --workspace "$work/workspace" --json > "$work/scratch.json"
/usr/bin/python3 - "$work" "$pretrain_seconds" "$transfer_seconds" "$scratch_seconds" <<'PY'
import json, sys
work, pre, tra, scr = sys.argv[1], *map(int, sys.argv[2:])
t = json.load(open(f"{work}/transfer.json"))
s = json.load(open(f"{work}/scratch.json"))
print(f"pretraining on classes 0-4: {pre} s")
print(f"transfer test accuracy (classes 5-9): {t['accuracy']:.4f} on {t['images']} images ({tra} s)")
print(f"scratch  test accuracy (classes 5-9): {s['accuracy']:.4f} on {s['images']} images ({scr} s)")
print(f"ratio transfer / scratch: {t['accuracy'] / s['accuracy']:.3f}")
PY
