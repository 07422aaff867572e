#!/usr/bin/env bash
# Prints the Python X.Y interpreter the project's virtualenvs are made from (make's PYTHON, the test matrix's entries).
#
#   bash hacking/python.sh 3.11
#
# Candidates: pyenv's X.Y.* installs, every pythonX.Y on PATH, /usr/bin/pythonX.Y; only those that can make a
# virtualenv with pip (the venv and ensurepip modules). Of these, the first whose interpreter is in its own executable
# wins; otherwise the first. An interpreter built as a shared libpython (pyenv's default build) calls itself through
# the dynamic linker's tables, while a distribution's static executable (Debian's, built with PGO and LTO) does not:
# on the 2-core machine pytest took 13 % less CPU on Debian's 3.11 than on pyenv's (docs/performance.md).
# Nothing found: prints nothing and exits 1 (.ci/run asks it whether a Python 3.13 or 3.12 is there).
set -uo pipefail
version=${1:?usage: hacking/python.sh X.Y}
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}

first=""
seen=" "
for candidate in "$pyenv_root"/versions/"$version".*/bin/python"$version" $(which -a "python$version" 2>/dev/null) \
                 "/usr/bin/python$version"; do
    [ -x "$candidate" ] || continue
    # a pyenv shim is a script, not an interpreter: ask each candidate for the interpreter it runs, and check that once
    real=$("$candidate" -c 'import os, sys, venv, ensurepip; print(os.path.realpath(sys.executable))' 2>/dev/null) || continue
    case $seen in *" $real "*) continue ;; esac
    seen="$seen$real "
    [ -n "$first" ] || first=$real
    if ! "$real" -c 'import sys; sys.exit(any("libpython" in line for line in open("/proc/self/maps")))' 2>/dev/null; then
        continue
    fi
    echo "$real"
    exit 0
done
[ -n "$first" ] && echo "$first"
