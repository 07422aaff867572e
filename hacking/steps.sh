# shellcheck shell=bash
# Sourced by hacking/test.sh and hacking/release-check.sh: run named steps, keep going after a failure,
# and count them, so that one run shows everything that is wrong.
passed=0
failed=0
failures=()
step_line=""  # the last step's result line
step() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    step_line="=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    step_line="=== $name: FAILED ($((SECONDS - start)) s)"
  fi
  echo "$step_line"
}

# steps_save FILE: write this shell's counts to FILE, for a parent shell's steps_merge (steps run in a background
# subshell count there, not in the parent).
steps_save() {
  {
    echo "passed=$passed"
    echo "failed=$failed"
    local name
    for name in "${failures[@]}"; do printf 'failure=%s\n' "$name"; done
  } >"$1"
}

# steps_merge FILE NAME: add the counts saved in FILE to this shell's; no FILE (the subshell died) is one failure.
steps_merge() {
  local line
  if [ ! -s "$1" ]; then
    failed=$((failed + 1))
    failures+=("$2 (ended without saving its results)")
    return
  fi
  while IFS= read -r line; do
    case $line in
      passed=*) passed=$((passed + ${line#passed=})) ;;
      failed=*) failed=$((failed + ${line#failed=})) ;;
      failure=*) failures+=("${line#failure=}") ;;
    esac
  done <"$1"
}
