#!/usr/bin/env bash
# System tools the test command uses beyond Python packages: shellcheck (for ansible-test sanity).
# Installed from the distribution when missing and when we may (root with apt-get); otherwise we say so.
set -euo pipefail
if command -v shellcheck >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing shellcheck with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck) >/dev/null
  command -v shellcheck >/dev/null
else
  echo "shellcheck is missing and cannot be installed here; ansible-test sanity will skip its shellcheck test" >&2
fi
