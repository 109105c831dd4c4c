#!/usr/bin/env bash
# Installs what AutoNet needs and builds it when out of date. Sourced by ./autonet and ./test.sh.
#   bootstrap_main runtime   packages for running searches
#   bootstrap_main test      plus the reference peers the tests compare against
set -euo pipefail

AUTONET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AUTONET_CONFIGURATION="${AUTONET_CONFIGURATION:-Release}"

# The engine (TorchSharp with libtorch) and SkiaSharp come from NuGet; Debian provides the built-in data set, and Node.js
# installs the dashboard's chart library from npm at build time (the page then works with no internet).
RUNTIME_PACKAGES=(dataset-fashion-mnist nodejs)
TEST_PACKAGES=(python3-torch python3-torchvision python3-numpy python3-pil python3-sklearn python3-onnx postgresql graphviz tmux chromium)
# npm folders (package.json + package-lock.json committed, node_modules installed here): what the build embeds, and
# what the tests run from.
RUNTIME_NPM_FOLDERS=(src/AutoNet.Dashboard)
TEST_NPM_FOLDERS=(tests/AutoNet.Export.Tests/node)

say() { printf 'autonet: %s\n' "$*" >&2; }

missing_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            printf '%s\n' "$pkg"
        fi
    done
}

install_packages() {
    local missing
    mapfile -t missing < <(missing_packages "$@")
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        say "missing Debian packages: ${missing[*]}"
        say "install them with:"
        printf '    sudo apt-get update && sudo apt-get install -y %s\n' "${missing[*]}" >&2
        exit 1
    fi
    say "installing ${missing[*]} (apt-get)"
    # An install can fail on a stale package list; refresh it once and try again.
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/tmp/autonet-apt.log 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >>/tmp/autonet-apt.log 2>&1 || true
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>/tmp/autonet-apt.log 2>&1; then
            say "apt-get install failed; the last lines of /tmp/autonet-apt.log:"
            tail -n 20 /tmp/autonet-apt.log >&2
            exit 1
        fi
    fi
}

# npm ci (exact versions from the lock file) with --ignore-scripts: packages such as onnxruntime-node carry their
# CPU binaries and need no install script. Quick when node_modules is newer than the lock file.
install_npm_folders() {
    local folder
    for folder in "$@"; do
        folder="$AUTONET_ROOT/$folder"
        if [ -f "$folder/node_modules/.package-lock.json" ] && [ ! "$folder/package-lock.json" -nt "$folder/node_modules/.package-lock.json" ]; then
            continue
        fi
        # Debian packs npm apart from nodejs (NodeSource's nodejs carries it).
        command -v npm >/dev/null 2>&1 || install_packages npm
        if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
            say "node and npm are not on PATH; install Node.js 18 or newer with npm and run this again"
            exit 1
        fi
        say "installing npm packages in ${folder#"$AUTONET_ROOT"/} (npm ci --ignore-scripts)"
        if ! (cd "$folder" && npm ci --ignore-scripts --no-audit --no-fund) >/tmp/autonet-npm.log 2>&1; then
            say "npm ci failed; the last lines of /tmp/autonet-npm.log:"
            tail -n 20 /tmp/autonet-npm.log >&2
            exit 1
        fi
    done
}

require_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1; then
        say "the .NET SDK (10.0) is not on PATH; install it (https://dot.net) and run this again"
        exit 1
    fi
}

# Rebuilds when any source, project or build file is newer than the last successful build.
build_if_stale() {
    local stamp="$AUTONET_ROOT/artifacts/build-$AUTONET_CONFIGURATION.stamp"
    if [ -f "$stamp" ] && [ -z "$(find "$AUTONET_ROOT/src" "$AUTONET_ROOT/tests" "$AUTONET_ROOT/experiments" "$AUTONET_ROOT/search-spaces" \
            "$AUTONET_ROOT"/*.props "$AUTONET_ROOT"/*.targets "$AUTONET_ROOT"/AutoNet.sln "$AUTONET_ROOT/NuGet.config" \
            -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/node_modules/*' -print -quit 2>/dev/null)" ]; then
        return 0
    fi
    say "building ($AUTONET_CONFIGURATION)"
    mkdir -p "$AUTONET_ROOT/artifacts"
    if ! dotnet build "$AUTONET_ROOT/AutoNet.sln" -c "$AUTONET_CONFIGURATION" -nologo -v:q -clp:ErrorsOnly \
            >"$AUTONET_ROOT/artifacts/build.log" 2>&1; then
        cat "$AUTONET_ROOT/artifacts/build.log" >&2
        say "build failed (log: artifacts/build.log)"
        exit 1
    fi
    touch "$stamp"
}

bootstrap_main() {
    local mode="${1:-runtime}"
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
    if [ "$mode" = test ]; then
        install_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
        install_npm_folders "${RUNTIME_NPM_FOLDERS[@]}" "${TEST_NPM_FOLDERS[@]}"
    else
        install_packages "${RUNTIME_PACKAGES[@]}"
        install_npm_folders "${RUNTIME_NPM_FOLDERS[@]}"
    fi
    require_dotnet
    build_if_stale
}
