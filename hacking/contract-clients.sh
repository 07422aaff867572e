#!/usr/bin/env bash
# Installs the official authentik Python client of each release line the collection's tests verify, one
# directory per release under the cache, never into the test virtualenv (the clients of different releases
# share one package name). The contract test (tests/contract) loads each one in a subprocess.
#
#   bash hacking/contract-clients.sh [CACHE]      CACHE defaults to .cache/contract-clients
#
# The releases and versions: tests/contract/clients.txt. Needs PyPI (or the mirror pip is configured for) the
# first time; a release already installed is kept. About 40 MB per release; seconds each
# with uv (hacking/venv.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "${1:-$root/.cache/contract-clients}")
python=$(command -v "${CONTRACT_PYTHON:-${VENV:+$VENV/bin/}python}")

mkdir -p "$cache"
# test workers (pytest -n) may start this at once: one installs, the others wait and then find it installed
exec 9>"$cache/.lock"
flock 9
grep -v '^#' "$root/tests/contract/clients.txt" | while read -r release version; do
    [ -n "$release" ] || continue
    target=$cache/$release
    if [ -f "$target/.installed-$version" ]; then
        continue
    fi
    echo "authentik-client $version -> $target"
    rm -rf "$target"
    # --target keeps the client and its own pydantic apart from the test virtualenv; pip's warnings about the
    # virtualenv's packages (when pip installs) do not apply to that directory
    bash "$root/hacking/venv.sh" --target "$target" "$python" "authentik-client==$version" \
        2> >(grep -v "dependency resolver\|requires python-dateutil\|is ignored" >&2)
    touch "$target/.installed-$version"
done
