# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip.py script that ansible-test downloads from a host these machines cannot reach.

ansible-test runs this file as ``python get_pip.py [pip options] pip==X.Y`` inside each virtualenv it
creates. The same result comes from the interpreter's own ensurepip plus a pip install from the package
index pip is configured for. hacking/sanity.sh copies it to ~/.ansible/test/cache/get_pip_<version>.py.
"""

import subprocess
import sys

IGNORED = ("--no-setuptools", "--no-wheel")


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    args = [arg for arg in sys.argv[1:] if arg not in IGNORED]
    if args:
        subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
