#!/usr/bin/env bash
# Run `ansible-test sanity` on the working tree, offline.
# ansible-test needs the checkout at .../ansible_collections/<namespace>/<name>/ and lists files with git, so we
# copy the tracked and untracked-but-not-ignored files into build/sanity/ansible_collections/sso/authentik_minio
# and make that copy its own git repository. Usage: hacking/sanity.sh [extra ansible-test options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$root" && realpath -m "${VENV:-.venv}")
dest=$root/build/sanity/ansible_collections/sso/authentik_minio

# ansible-test bootstraps pip in its venvs with a script from a host we cannot reach: provide it locally.
cache_dir=$HOME/.ansible/test/cache
mkdir -p "$cache_dir"
pip_version=$("$venv/bin/python" -c '
from types import SimpleNamespace
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(SimpleNamespace(version="3.11"))["pip"])')
cp "$root/hacking/get_pip_offline.py" "$cache_dir/get_pip_${pip_version//./_}.py"

# A fresh copy each time keeps deleted files from lingering; tests/output (ansible-test's venvs) is kept.
mkdir -p "$dest"
find "$dest" -mindepth 1 -maxdepth 1 ! -name tests ! -name .git -exec rm -rf {} +
[ -d "$dest/tests" ] && find "$dest/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dest")
cd "$dest"
[ -d .git ] || git init -q
git add -A >/dev/null
PATH="$venv/bin:$PATH" ansible-test sanity --venv --python 3.11 --color no "$@"
