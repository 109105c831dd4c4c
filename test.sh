#!/usr/bin/env bash
# Installs what is missing, builds, runs every test project, and prints one total line:
#   N passed, N failed, N skipped
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scripts/bootstrap.sh"
set +e
bootstrap_main test || exit 1
# A throwaway PostgreSQL on loopback for the store's contract tests (skipped, with the reason, if it cannot start).
source "$AUTONET_ROOT/scripts/test-postgres.sh"
start_test_postgres || true
trap stop_test_postgres EXIT

# One process checks the machine's convolution kernels first (autonet doctor runs the engine's check), so every
# test process after it starts from the same verdict and the same kernels.
dotnet "$AUTONET_ROOT/src/AutoNet.Cli/bin/$AUTONET_CONFIGURATION/net10.0/AutoNet.Cli.dll" doctor --json >/dev/null 2>&1 || true

results="$AUTONET_ROOT/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
passed=0 failed=0 skipped=0 status=0
# Test projects end in .Tests; helpers beside them (such as the scheduling test worker) are built, not run.
for project in "$AUTONET_ROOT"/tests/*.Tests/*.Tests.csproj; do
    name="$(basename "$project" .csproj)"
    log="$results/$name.log"
    echo "== $name"
    # A test that hangs is stopped after 15 minutes of silence and named, so one hang fails its project instead of
    # running the whole suite into CI's limit.
    dotnet test "$project" -c "$AUTONET_CONFIGURATION" --no-build --nologo -v:q \
        --blame-hang-timeout 15m --blame-hang-dump-type none \
        --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 | tee "$log" \
        | awk '/^  (Failed|Skipped) |^Total tests|^ +(Passed|Failed|Skipped): / { print } \
               /inactivity time|test running when the crash occurred|Test Run Aborted/ { print; shown = 1; next } \
               /Error Message|Stack Trace/ { print; shown = 6; next } shown > 0 { print; shown-- }' || true
    # The console logger ends with "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N" (zeros omitted).
    if grep -q '^Test Run Aborted' "$log"; then
        # The host was stopped (a hang) or crashed: what finished counts, and the test it was running is one failure.
        aborted=1
    elif ! grep -qE '^Total tests: [0-9]+' "$log"; then
        echo "   $name produced no result summary (build or test host failure); see $log"
        failed=$((failed + 1)); status=1; continue
    fi
    count() { sed -n '/^Total tests:/,$p' "$log" | grep -E "^ +$1: +[0-9]+" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
    p=$(count Passed); f=$(count Failed); s=$(count Skipped)
    [ "${aborted:-0}" = 1 ] && f=$((f + 1)) && aborted=0
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    grep -q '^Test Run Failed' "$log" && status=1
    [ "$f" -gt 0 ] && status=1
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
