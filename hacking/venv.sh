#!/usr/bin/env bash
# Creates a virtualenv and installs packages into it: the one installer of the project's virtualenvs (.venv,
# .venv-docs, .venv-importer, .venv-matrix/<core>) and of the contract test's per-release client directories.
#
#   bash hacking/venv.sh VENV PYTHON [ARGS...]            ARGS as for `pip install` (-r FILE, NAME==VERSION, ...)
#   bash hacking/venv.sh --target DIR PYTHON [ARGS...]    install into DIR (pip install --target) for PYTHON, with the
#                                                         uv beside PYTHON (a virtualenv this script made) or pip
#
# The installs go through uv (a pinned release, put into the virtualenv itself first): it fetches in parallel and
# keeps the packages it downloaded in its cache (~/.cache/uv). A fresh .venv takes about 17 s instead of the 40 s
# pip needed on the 2-core machine, where pip's cache stays empty because the index answers with no-store. Where uv cannot install (no uv wheel for the platform, or only the
# mirror pip is configured for is reachable), pip does the same install. Either way the virtualenv also gets pip,
# for whoever runs `VENV/bin/pip` later.
set -euo pipefail
UV_VERSION=0.13.9

# byte code at install time, as pip does: with PYTHONDONTWRITEBYTECODE set, nothing would ever write it later
export UV_NO_PROGRESS=1 UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1
uv_ready() {
    [ -x "$venv/bin/uv" ] && [ "$("$venv/bin/uv" --version 2>/dev/null | cut -d' ' -f2)" = "$UV_VERSION" ]
}

if [ "${1:-}" = --target ]; then
    target=$2
    python=$3
    shift 3
    venv=$(dirname "$(dirname "$python")")
    # no byte code ahead: a client directory holds thousands of generated models, and a test imports a few
    if ! uv_ready || ! UV_COMPILE_BYTECODE=0 "$venv/bin/uv" pip install --quiet --python "$python" --target "$target" "$@"; then
        echo "venv.sh: uv could not install into $target; pip does" >&2
        rm -rf "$target"
        "$python" -m pip install --quiet --disable-pip-version-check --no-compile --target "$target" "$@"
    fi
    exit 0
fi

venv=$1
python=$2
shift 2
if [ ! -x "$venv/bin/python" ]; then
    # no ensurepip here: pip comes from the same install as everything else
    "$python" -m venv --without-pip "$venv"
fi
pip_ready() {
    "$venv/bin/python" -m pip --version >/dev/null 2>&1
}
ensure_pip() {
    pip_ready || "$venv/bin/python" -m ensurepip --upgrade --default-pip >/dev/null
}
if ! uv_ready; then
    # the interpreter's own pip installs uv into the virtualenv (pip --python); failing that, the virtualenv's own pip
    if ! "$python" -m pip --python "$venv/bin/python" install --quiet --disable-pip-version-check \
            "uv==$UV_VERSION" 2>/dev/null; then
        if ensure_pip; then
            "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" || true
        fi
    fi
fi
if ! uv_ready || ! "$venv/bin/uv" pip install --quiet --python "$venv/bin/python" pip "$@"; then
    echo "venv.sh: uv could not install into $venv; pip does" >&2
    ensure_pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
fi
