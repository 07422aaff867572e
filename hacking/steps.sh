# shellcheck shell=bash
# Sourced by hacking/test.sh and hacking/release-check.sh: run named steps, keep going after a failure,
# and count them, so that one run shows everything that is wrong.
passed=0
failed=0
failures=()
step() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}
