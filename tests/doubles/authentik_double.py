# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local authentik double: ``python tests/doubles/authentik_double.py --port PORT [--api-version V]
[--token TOKEN] [--tls-cert F --tls-key F]``.

Starts like a fresh install of that authentik release (default 2025.12, reporting 2025.12.4) with
``akadmin`` holding the bootstrap API token (default ``test-bootstrap-token-0123456789``) and prints
``authentik double ready at http://127.0.0.1:PORT`` once it accepts connections. See authentik.md.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _double_server import serve  # noqa: E402  pylint: disable=wrong-import-position
from authentik.app import build_app  # noqa: E402  pylint: disable=wrong-import-position
from authentik.dialects import DEFAULT_VERSION  # noqa: E402  pylint: disable=wrong-import-position
from authentik.seeding import make_control  # noqa: E402  pylint: disable=wrong-import-position

DEFAULT_TOKEN = "test-bootstrap-token-0123456789"


def main(argv=None):
    parser = argparse.ArgumentParser(description="authentik double (REST API v3 + OIDC)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-version", default=DEFAULT_VERSION, help="release line (e.g. 2024.6) or exact release")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the bootstrap API token of akadmin")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    try:
        app, store = build_app(args.api_version, args.token, scheme="https" if args.tls_cert else "http")
    except ValueError as exc:
        parser.error(str(exc))
    serve("authentik", app, args.port, tls_cert=args.tls_cert, tls_key=args.tls_key, verbose=args.verbose,
          control=make_control(app, store, args.token))  # test-only POST /_double/seed (authentik.md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
