# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentik double of one release, served on 127.0.0.1 in this process, recording each API exchange whole.

The double's own request log keeps only method, path and status; the contract needs the bodies both ways. The
app is the double's, unchanged: the recorder only reads what passes through.
"""

from __future__ import annotations

import json
import threading

from _double_server import DoubleHTTPServer
from authentik.app import build_app
from authentik.seeding import make_control

API = "/api/v3/"
TOKEN = "contract-token-0123456789abcdef"


class RecordingDouble:
    def __init__(self, version):
        app, store = build_app(version, TOKEN)
        self.store = store
        self.exchanges = []
        self._lock = threading.Lock()

        def recording(request):
            response = app(request)
            if request.path.startswith(API):
                self._record(request, response)
            return response

        self.server = DoubleHTTPServer(("127.0.0.1", 0), recording, control=make_control(app, store, TOKEN))
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def _record(self, request, response):
        try:
            sent = request.json()
        except ValueError:
            sent = None
        try:
            answer = json.loads(response.body) if response.body else None
        except ValueError:
            answer = response.body[:200].decode("utf-8", "replace")
        with self._lock:
            self.exchanges.append({"method": request.method, "path": request.path[len(API):], "status": response.status,
                                   "request": sent, "response": answer})

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)
