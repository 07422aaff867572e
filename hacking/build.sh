#!/usr/bin/env bash
# Build the collection artifact, install it into a scratch path, and check that ansible-doc lists and
# renders every module from the installed copy (not from the working tree).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$root" && realpath -m "${VENV:-.venv}")
out=$root/build/dist
scratch=$root/build/install
rm -rf "$out" "$scratch"
mkdir -p "$out" "$scratch"
cd "$root"
"$venv/bin/ansible-galaxy" collection build --output-path "$out" --force >/dev/null
artifact=$(ls "$out"/sso-authentik_minio-*.tar.gz)
echo "built $(basename "$artifact") ($(du -h "$artifact" | cut -f1))"
# What must never ship: tests' runtime output, virtualenvs, earlier artifacts.
if tar -tzf "$artifact" | grep -E '^(tests/output|\.venv|build)/' ; then
  echo "the artifact contains files that build_ignore should keep out" >&2
  exit 1
fi
"$venv/bin/ansible-galaxy" collection install "$artifact" -p "$scratch" --force 2>&1 >/dev/null | grep -v 'is not part of the configured Ansible collections paths' >&2 || true
export ANSIBLE_COLLECTIONS_PATH=$scratch
listed=$("$venv/bin/ansible-doc" -t module -l sso.authentik_minio 2>/dev/null | awk '{print $1}' | sort; true)
expected=$([ -d plugins/modules ] && find plugins/modules -maxdepth 1 -name '*.py' ! -name '__init__.py' -printf '%f\n' | sed 's/\.py$//; s/^/sso.authentik_minio./' | sort; true)
if [ "$listed" != "$expected" ]; then
  echo "ansible-doc lists:"; echo "$listed"; echo "expected:"; echo "$expected"
  exit 1
fi
# one ansible-doc for all of them (one start of ansible-core, not one per module): it fails when any does not render,
# and the list above already showed that none is missing
# shellcheck disable=SC2086  # one module name per word
[ -z "$expected" ] || "$venv/bin/ansible-doc" -t module $expected >/dev/null
count=0
[ -n "$expected" ] && count=$(echo "$expected" | wc -l)
echo "installed into $scratch; ansible-doc renders $count module(s)"
