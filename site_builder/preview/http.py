"""Preview HTTP: the built site under its prefix, live reload, and the error overlay."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import tornado.web
import tornado.websocket

from site_builder.counts import counted
from site_builder.errors import ContentError
from site_builder.preview.hosts import LocalHosts

_SCRIPT = b'<script src="/.preview/reload.js"></script>'
_CLIENT = Path(__file__).with_name("reload.js")
_NOT_BUILT = (b"<!doctype html><html><head><meta charset=utf-8><title>Not built yet</title></head>"
              b"<body><p>The site has not been built yet. This page reloads when it is.</p>"
              b"</body></html>")
_OVERLAY_STYLE = (
    "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;"
    "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e6;border-top:4px solid #e5484d;"
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "box-shadow:0 -8px 24px rgba(0,0,0,.35)")


class PreviewState(Protocol):
    """What the handlers need to know about the running preview."""

    folder: Path
    prefix: str
    errors: tuple[ContentError, ...]
    pages: OpenPages


class OpenPages:
    """The pages of the preview open in browsers, each through its WebSocket."""

    def __init__(self) -> None:
        self.sockets: set[tornado.websocket.WebSocketHandler] = set()

    def reload(self, stylesheets: list[str]) -> None:
        """Tell every open page to reload, or only to swap `stylesheets` when there are any."""
        message = json.dumps({"css": stylesheets} if stylesheets else {"reload": True})
        for socket in list(self.sockets):
            try:
                socket.write_message(message)
            except tornado.websocket.WebSocketClosedError:
                self.sockets.discard(socket)


def routes(state: PreviewState, host: str) -> list[Any]:
    """Handlers: live reload outside the site, the site under its prefix, `/` redirected there."""
    options = {"state": state, "allowed": LocalHosts(host)}
    return [
        (r"/\.preview/reload", ReloadSocket, options),
        (r"/\.preview/reload\.js", ScriptHandler, options),
        (f"{state.prefix}(.*)", SiteHandler, {**options, "path": str(state.folder),
                                              "default_filename": "index.html"}),
        (r"/.*", OutsideHandler, options),
    ]


class _HostChecked(tornado.web.RequestHandler):
    """Refuses requests whose Host is not this machine (DNS rebinding)."""

    def initialize(self, state: PreviewState, allowed: LocalHosts, **kwargs: Any) -> None:
        self.state = state
        self.allowed = allowed

    def prepare(self) -> None:
        host = urlsplit(f"//{self.request.host}").hostname or ""
        if host not in self.allowed:
            raise tornado.web.HTTPError(403, reason="Forbidden host")


class ScriptHandler(_HostChecked):
    """The client that reloads pages and swaps stylesheets."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(_CLIENT.read_bytes())


class ReloadSocket(_HostChecked, tornado.websocket.WebSocketHandler):
    """One open page, told when to reload; only pages of this preview may connect."""

    def check_origin(self, origin: str) -> bool:
        return (urlsplit(origin).hostname or "") in self.allowed

    def open(self, *args: str, **kwargs: str) -> None:
        self.state.pages.sockets.add(self)

    def on_close(self) -> None:
        self.state.pages.sockets.discard(self)


class OutsideHandler(_HostChecked):
    """Anything outside the site's prefix: `/` goes to the site, the rest is not found."""

    def get(self) -> None:
        if self.request.path == "/":
            self.redirect(self.state.prefix)
            return
        _send_not_found(self, self.state)


class SiteHandler(_HostChecked, tornado.web.StaticFileHandler):
    """The built site: HTML gets the live-reload script, and the overlay while a build fails."""

    def initialize(self, state: PreviewState, allowed: LocalHosts,  # type: ignore[override]
                   path: str, default_filename: str) -> None:
        _HostChecked.initialize(self, state, allowed)
        tornado.web.StaticFileHandler.initialize(self, path, default_filename)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def compute_etag(self) -> None:
        return None

    async def get(self, path: str, include_body: bool = True) -> None:
        self.path = self.parse_url_path(path)
        absolute = self.get_absolute_path(self.root, self.path)
        if os.path.isdir(absolute) and self.request.path.endswith("/"):
            absolute = os.path.join(absolute, "index.html")
        if absolute.endswith(".html") and os.path.isfile(absolute):
            checked = self.validate_absolute_path(self.root, absolute)
            if checked is not None:
                self._send_page(Path(checked).read_bytes())
            return
        await super().get(path, include_body)

    def _send_page(self, page: bytes, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(inject(page, self.state.errors))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if status_code == 404:
            _send_not_found(self, self.state)
        else:
            super().write_error(status_code, **kwargs)


def _send_not_found(handler: tornado.web.RequestHandler, state: PreviewState) -> None:
    """The site's own 404 page (or a placeholder before any build worked), reloading live."""
    page = state.folder / "404.html"
    handler.clear()
    handler.set_status(404)
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(inject(page.read_bytes() if page.is_file() else _NOT_BUILT, state.errors))


def inject(page: bytes, errors: tuple[ContentError, ...]) -> bytes:
    """A page with the live-reload script, and the error overlay when there are errors."""
    if b"</head>" in page:
        page = page.replace(b"</head>", _SCRIPT + b"</head>", 1)
    else:
        page = _SCRIPT + page
    if errors:
        overlay = overlay_html(errors).encode()
        page = page.replace(b"</body>", overlay + b"</body>", 1) if b"</body>" in page \
            else page + overlay
    return page


def overlay_html(errors: tuple[ContentError, ...]) -> str:
    """The error overlay: every error as `path:line:column: message`."""
    lines = "\n".join(html.escape(e.format()) for e in errors)
    return (f'<div id="briefing-error-overlay" role="alert" style="{_OVERLAY_STYLE}">'
            f'<strong>Build failed: {counted(len(errors), "error")}. Showing the last good '
            f'build; this goes away when the errors are fixed.</strong><pre style="margin:.5rem 0 0;white-space:pre-wrap">'
            f"{lines}</pre></div>")
