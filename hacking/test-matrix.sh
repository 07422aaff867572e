#!/usr/bin/env bash
# make test-matrix: the collection under the ansible-core releases meta/runtime.yml promises, oldest to newest.
# For each entry of MATRIX (ansible-core line:Python version) it creates .venv-matrix/<core> with that Python,
# installs that ansible-core and what the tests need, and runs
#   1. ansible-test sanity (in a copy of the tree under build/matrix/<core>/, as hacking/sanity.sh does), and
#   2. the role's tests (tests/integration/test_role_minio_sso.py: every dialect configured, proven, run again without
#      a change and removed; the group mapping; the access groups and a verify group that maps no policy; a failed
#      S3 probe). Templating differs between the releases: 2.16 renders a none as '', for one.
# A failing entry does not stop the others; the exit code is non-zero if any failed.
#
# Needs: the Python of each entry (Python 3.11, 3.12 and 3.13 for the default MATRIX), found by hacking/python.sh in
# $PYENV_ROOT/versions/<X.Y>.*/bin/python<X.Y>, on PATH or in /usr/bin. On a machine without them:
#   pyenv install 3.11 3.12 3.13     or (Debian/Ubuntu)   apt-get install python3.12 python3.12-venv ...
# PyPI (or the mirror pip is configured for): ansible-core, the test packages, and ansible-test's sanity
# requirements (it builds one virtualenv per sanity test and Python).
# ansible-core supports these controller Pythons: 2.16 3.10-3.12, 2.18 3.11-3.13, 2.21 3.12-3.14.
#
#   MATRIX="2.16:3.11 2.21:3.13" bash hacking/test-matrix.sh      only the oldest and the newest
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
matrix=${MATRIX:-"2.16:3.11 2.18:3.12 2.21:3.13"}
# the test packages (the role tests start the doubles: pyjwt, cryptography, boto3), at the main environment's pins
mapfile -t packages < <(grep -E '^(requests|jmespath|minio|pytest|pytest-xdist|pyjwt|cryptography|pyyaml|boto3)==' requirements-test.txt)

failures=()
for entry in $matrix; do
    core=${entry%%:*}
    pyver=${entry#*:}
    started=$SECONDS
    echo "=== ansible-core $core on Python $pyver"
    if ! python=$(bash hacking/python.sh "$pyver"); then
        echo "Python $pyver not found: install it (pyenv install $pyver, or the distribution's python$pyver and" \
             "python$pyver-venv packages), or choose another MATRIX entry" >&2
        failures+=("$core: no Python $pyver")
        continue
    fi
    venv=$root/.venv-matrix/$core
    stamp=$venv/.installed-$(echo "$core $pyver ${packages[*]}" | cksum | cut -d' ' -f1)
    if [ ! -f "$stamp" ]; then
        rm -rf "$venv"
        if ! bash hacking/venv.sh "$venv" "$python" "ansible-core~=$core.0" "${packages[@]}"; then
            failures+=("$core: installing")
            continue
        fi
        touch "$stamp"
    fi
    "$venv/bin/python" -c 'import ansible.release, sys; print("ansible-core", ansible.release.__version__, "on", sys.version.split()[0])'

    # sanity: ansible-test wants the tree at .../ansible_collections/<namespace>/<name>/ and lists files with git
    dest=$root/build/matrix/$core/ansible_collections/sso/authentik_minio
    mkdir -p "$dest"
    find "$dest" -mindepth 1 -maxdepth 1 ! -name tests ! -name .git -exec rm -rf {} +
    [ -d "$dest/tests" ] && find "$dest/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +
    git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dest"
    # ansible-test bootstraps pip in its virtualenvs with a script from a host these machines cannot reach
    pip_version=$("$venv/bin/python" -c '
import sys
from types import SimpleNamespace
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(SimpleNamespace(version="%d.%d" % sys.version_info[:2]))["pip"])')
    mkdir -p "$HOME/.ansible/test/cache"
    cp hacking/get_pip_offline.py "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
    if ! (cd "$dest" && { [ -d .git ] || git init -q; } && git add -A >/dev/null &&
          PATH="$venv/bin:$PATH" ansible-test sanity --venv --python "$pyver" --color no); then
        failures+=("$core: ansible-test sanity")
    fi

    # the role's tests, against the doubles
    if ! "$venv/bin/python" -m pytest -q -p no:cacheprovider -n 2 tests/integration/test_role_minio_sso.py; then
        failures+=("$core: role tests")
    fi
    echo "=== ansible-core $core: $((SECONDS - started)) s"
done

for failure in "${failures[@]}"; do echo "failed: $failure"; done
[ "${#failures[@]}" -eq 0 ]
