# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for a MinIO community server: admin API v3, STS AssumeRoleWithWebIdentity, S3 basics.

    python tests/doubles/minio_double.py --port PORT [--root-user U --root-password P] [--data-dir DIR]
                                         [--tls-cert F --tls-key F] [--restart-outage SECONDS]
                                         [--console-port PORT]

What it emulates and what it does not: tests/doubles/minio.md. The parts live in tests/doubles/minio_emu/.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _double_server import serve  # noqa: E402  pylint: disable=wrong-import-position
from minio_emu.app import MinioApp  # noqa: E402  pylint: disable=wrong-import-position
from minio_emu.console import ConsoleApp  # noqa: E402  pylint: disable=wrong-import-position
from minio_emu.state import ServerState  # noqa: E402  pylint: disable=wrong-import-position


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    # MinIO's own defaults (MINIO_ROOT_USER / MINIO_ROOT_PASSWORD unset).
    parser.add_argument("--root-user", default=os.environ.get("MINIO_ROOT_USER", "minioadmin"))
    parser.add_argument("--root-password", default=os.environ.get("MINIO_ROOT_PASSWORD", "minioadmin"))
    parser.add_argument("--data-dir", help="where config, policies and buckets persist (default: a temporary directory)")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--restart-outage", type=float, default=1.0, help="seconds the server is away after a restart")
    parser.add_argument("--console-port", type=int, help="also serve the console's login API on this port")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    data_dir = args.data_dir
    if not data_dir:
        data_dir = tempfile.mkdtemp(prefix="minio-double-")
        atexit.register(shutil.rmtree, data_dir, True)
    signal.signal(signal.SIGTERM, _interrupt)  # so serve() returns and the temporary directory is removed
    state = ServerState(args.root_user, args.root_password, data_dir, restart_outage=args.restart_outage)
    state.boot()
    app = MinioApp(state, "127.0.0.1:%d" % args.port)
    if args.console_port:  # the embedded console listens on its own port, as MinIO's --console-address
        console = ConsoleApp(state, "http://127.0.0.1:%d" % args.console_port)
        threading.Thread(target=serve, args=("minio-console", console, args.console_port), daemon=True).start()
        for _attempt in range(100):  # listening before the ready line below tells the tests to go
            try:
                socket.create_connection(("127.0.0.1", args.console_port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
    serve("minio", app, args.port, tls_cert=args.tls_cert, tls_key=args.tls_key, control=app.control, verbose=args.verbose)


if __name__ == "__main__":
    main()
