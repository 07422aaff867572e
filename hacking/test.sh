#!/usr/bin/env bash
# The test command (make test): every quality step, then pytest. A failing step does not stop the
# others, so one run shows everything that is wrong; the exit code is non-zero if anything failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$root" && realpath -m "${VENV:-.venv}")
export VENV=$venv PATH="$venv/bin:$PATH"
cd "$root" || exit 1

# shellcheck source=hacking/steps.sh
source "$root/hacking/steps.sh"

step "system tools" bash hacking/system-deps.sh
step "build and install the artifact" bash hacking/build.sh
step "changelog lint" antsibull-changelog lint
step "ansible-lint (production profile)" bash hacking/lint.sh
step "ansible-test sanity" bash hacking/sanity.sh
step "docs lint (antsibull-docs, .venv-docs)" bash hacking/docs-lint.sh
step "execution environment (ansible-builder create)" bash hacking/ee-check.sh
step "pytest (unit, fidelity, integration)" python -m pytest -n 2 -p no:cacheprovider --durations=25 tests

echo
for name in "${failures[@]}"; do echo "failed step: $name"; done
echo "quality gate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
