"""A static server that sends text gzip'd, as GitHub Pages and most hosts do: what the
page-weight figures and Lighthouse measure (Python's ``http.server`` sends everything
uncompressed, which would make every page look heavier than its readers get it)."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

COMPRESSED = {".html", ".js", ".css", ".svg", ".json", ".txt", ".xml", ".map", ".inv"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")      # GitHub Pages' own
        self.end_headers()
        import io
        return io.BytesIO(body)


@contextlib.contextmanager
def gzip_server(directory: Path) -> Iterator[str]:
    """Serve ``directory`` gzip'd on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
