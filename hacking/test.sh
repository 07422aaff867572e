#!/usr/bin/env bash
# The test command (make test): every quality step, then pytest. A failing step does not stop the
# others, so one run shows everything that is wrong; the exit code is non-zero if anything failed.
#
# pytest is the long step and spends part of its time waiting (restarts of the MinIO double, held requests), and the
# gates (build, lints, sanity, docs, execution environment) use about one core between them: so the gates run one
# after the other in the background while pytest runs in the foreground. pytest's output is shown as it comes; the
# gates' output follows it, whole, then one summary line per step. TEST_SERIAL=1 runs everything one after the other.
# pytest has three workers on two cores: several tests mostly wait (the modules' retry back-off in the reliability
# suite, held requests, MinIO restarts), and a third worker runs something else meanwhile. PYTEST_WORKERS sets it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$root" && realpath -m "${VENV:-.venv}")
export VENV=$venv PATH="$venv/bin:$PATH"
cd "$root" || exit 1

# shellcheck source=hacking/steps.sh
source "$root/hacking/steps.sh"

gates() {
  step "system tools" bash hacking/system-deps.sh
  step "build and install the artifact" bash hacking/build.sh
  step "changelog lint" antsibull-changelog lint
  step "ansible-lint (production profile)" bash hacking/lint.sh
  step "ansible-test sanity" bash hacking/sanity.sh
  step "docs lint (antsibull-docs, .venv-docs)" bash hacking/docs-lint.sh
  step "execution environment (ansible-builder create)" bash hacking/ee-check.sh
}
# The slowest tests are listed at the end of pytest's output (--durations).
pytest_step() {
  step "pytest (unit, fidelity, integration)" python -m pytest -n "${PYTEST_WORKERS:-3}" -p no:cacheprovider --durations=25 tests
}

start=$SECONDS
if [ "${TEST_SERIAL:-0}" = 1 ]; then
  gates
  pytest_step
else
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  (gates; steps_save "$scratch/gates.counts") >"$scratch/gates.log" 2>&1 &
  gates_pid=$!
  echo "=== the gates run in the background; their output follows pytest's"
  pytest_step
  pytest_line=$step_line
  wait "$gates_pid"
  echo
  echo "=== output of the gates (run beside pytest)"
  cat "$scratch/gates.log"
  steps_merge "$scratch/gates.counts" "the gates"
  echo
  echo "=== every step:"
  grep -hE '^=== .*: (ok|FAILED) \([0-9]+ s\)$' "$scratch/gates.log"
  echo "$pytest_line"
fi

echo
for name in "${failures[@]}"; do echo "failed step: $name"; done
echo "quality gate: $passed passed, $failed failed ($((SECONDS - start)) s)"
[ "$failed" -eq 0 ]
