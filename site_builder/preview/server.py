"""Preview: build into a private folder, serve it under the site's prefix, rebuild on change."""

from __future__ import annotations

import errno
import logging
import socket
import threading
import traceback
import webbrowser
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web

from site_builder.build import Builder, BuildOptions, BuildResult
from site_builder.load.settings import load_config
from site_builder.counts import counted
from site_builder.errors import BuildFailed, ContentError
from site_builder.preview.hosts import listens_beyond_loopback
from site_builder.preview.http import OpenPages, routes
from site_builder.search import LiveSearch, Shard
from site_builder.engine.cache import cache_folder
from site_builder.engine.pages import LaterCard, draw_later
from site_builder.engine.pool import default_jobs
from site_builder.preview.watch import ProjectWatcher

log = logging.getLogger(__name__)
PORT_ATTEMPTS = 20
DEBOUNCE_SECONDS = 0.01


@dataclass(frozen=True)
class PreviewOptions:
    """How to preview a project."""

    project: Path
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True
    open_browser: bool = False


def say(line: str) -> None:
    """Print a line of the preview at once, also into a pipe or a log."""
    print(line, flush=True)


class Preview:
    """Builds a project into `.cache/preview`, serves it, and rebuilds on every change."""

    def __init__(self, options: PreviewOptions, echo: Callable[[str], None] = say) -> None:
        self.options = options
        self.echo = echo
        self.folder = cache_folder(options.project, "preview") / "site"
        self.prefix = urlsplit(load_config(options.project).base_url).path
        self.errors: tuple[ContentError, ...] = ()
        self.pages = OpenPages()
        self.builder: Builder | None = None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="build")
        self.indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")
        self.drawer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cards")
        self.index_lock = threading.Lock()
        self.indexing = False
        self.to_index: tuple[list[Shard], set[str]] | None = None
        self.search = LiveSearch(self.folder, cache_folder(options.project, "preview") / "scratch"
                                 / "search", default_jobs())
        self.loop: tornado.ioloop.IOLoop | None = None
        self.server: tornado.httpserver.HTTPServer | None = None
        self.watcher: ProjectWatcher | None = None
        self.port = options.port
        self.building = False
        self.pending: set[str] = set()
        self.rebuilds = 0
        self.ready = threading.Event()
        self.built_for = cache_folder(options.project, "preview") / "built-for"

    @property
    def url(self) -> str:
        """Where the preview is served, with the site's prefix."""
        host = "127.0.0.1" if self.options.host in ("0.0.0.0", "::", "") else self.options.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{self.prefix}"

    def start(self) -> None:
        """Bind, build once, watch; the caller then runs the IOLoop."""
        self.loop = tornado.ioloop.IOLoop.current()
        logging.getLogger("tornado.access").setLevel(logging.WARNING)
        sockets = self._bind()
        self.builder = Builder(BuildOptions(project=self.options.project, base_url=self.url,
                                            drafts=self.options.drafts),
                               live=self.folder)
        self.server = tornado.httpserver.HTTPServer(self._application())
        self.server.add_sockets(sockets)
        catch_up = self._last_build_fits()
        if not catch_up:
            self._finish(self._build())
        self.watcher = ProjectWatcher(self.options.project, self._changed_from_thread)
        self.watcher.start()
        if warning := host_warning(self.options.host):
            self.echo(warning)
        self.echo(f"serving {self.options.project} at {self.url} (Ctrl+C to stop)")
        if catch_up:
            self.echo("serving the last build while it is brought up to date")
            self.building = True
            self.loop.add_callback(self._rebuild)
        if self.options.open_browser:
            webbrowser.open(self.url)
        self.ready.set()

    def _last_build_fits(self) -> bool:
        """Whether the folder holds the last good build of this preview, made for its address."""
        try:
            return self.built_for.read_text() == self.url and (self.folder / "index.html").is_file()
        except OSError:
            return False

    def stop(self) -> None:
        """Stop watching and serving."""
        if self.watcher:
            self.watcher.stop()
        if self.server:
            self.server.stop()
        self.executor.shutdown(wait=True)
        self.indexer.shutdown(wait=True)
        self.drawer.shutdown(wait=False, cancel_futures=True)

    def _bind(self) -> list[socket.socket]:
        """Sockets on the asked port, or the next free one, said out loud."""
        for port in range(self.options.port, self.options.port + PORT_ATTEMPTS):
            try:
                sockets = tornado.netutil.bind_sockets(port, self.options.host)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise SystemExit(f"cannot listen on {self.options.host}:{port}: "
                                     f"{exc.strerror}") from None
                continue
            if port != self.options.port:
                self.echo(f"port {self.options.port} is in use; serving on port {port} instead")
            self.port = sockets[0].getsockname()[1]
            return sockets
        raise SystemExit(f"ports {self.options.port} to {port} are all in use; "
                         "choose another with --port")

    def _application(self) -> tornado.web.Application:
        return tornado.web.Application(routes(self, self.options.host))

    def _changed_from_thread(self, path: str) -> None:
        assert self.loop is not None
        self.loop.add_callback(self._changed, path)

    def _changed(self, path: str) -> None:
        self.pending.add(path)
        if not self.building:
            self.building = True
            assert self.loop is not None
            self.loop.call_later(DEBOUNCE_SECONDS, self._rebuild)

    def _rebuild(self) -> None:
        changed, self.pending = self.pending, set()
        if changed:
            self.echo(f"changed: {changes(self.options.project, changed)}; rebuilding")
        future = self.executor.submit(self._build)
        assert self.loop is not None
        self.loop.add_future(future, lambda done: self._rebuilt(done, changed))

    def _rebuilt(self, future: Future, changed: set[str]) -> None:  # noqa: ARG002
        self._finish(future.result())
        self.rebuilds += 1
        self.building = False
        if self.pending:
            self._changed(next(iter(self.pending)))

    def _build(self) -> BuildResult | tuple[ContentError, ...]:
        """One build in the worker thread: a result, or the errors that stopped it."""
        assert self.builder is not None
        self.built_for.unlink(missing_ok=True)  # the folder changes from here on
        try:
            return self.builder.build()
        except BuildFailed as failed:
            return tuple(failed.errors)
        except Exception as exc:  # the preview must outlive any failure of a build
            log.debug("build crashed", exc_info=True)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return (ContentError(Path(where.filename).name, where.lineno or 1, 1,
                                 f"internal error: {type(exc).__name__}: {exc}"),)

    def _finish(self, outcome: BuildResult | tuple[ContentError, ...]) -> None:
        """Report a build in the terminal and the browser."""
        if isinstance(outcome, BuildResult):
            self.built_for.write_text(self.url)
            had_errors, self.errors = bool(self.errors), ()
            verb = "rebuilt" if self.ready.is_set() else "built"
            self.echo(f"{verb} in {outcome.seconds * 1000:.0f} ms: "
                      f"{counted(outcome.rendered, 'page')} rendered, "
                      f"{counted(len(outcome.changed), 'file')} changed")
            if outcome.changed or had_errors:
                self._reload(outcome.changed, css_only=not had_errors)
            if outcome.search and any(p.endswith(".html") for p in outcome.changed):
                self._reindex(outcome.shards, set(outcome.changed))
            if outcome.cards_later:
                self.drawer.submit(self._draw_cards, outcome.cards_later)
        else:
            self.errors = outcome
            for error in outcome:
                self.echo(error.format())
            self.echo(f"build failed: {counted(len(outcome), 'error')}; "
                      "serving the last good build")
            self.pages.reload([])
        assert self.builder is not None
        self.builder.engine.tidy()

    def _reindex(self, shards: list[Shard], changed: set[str]) -> None:
        """Index the preview for search in the background, the shards a build changed; one
        run at a time, the next with the latest shards and every change since."""
        with self.index_lock:
            earlier = self.to_index[1] if self.to_index else set()
            self.to_index = (shards, earlier | changed)
            if self.indexing:
                return
            self.indexing = True
        self.indexer.submit(self._index_loop)

    def _index_loop(self) -> None:
        while True:
            with self.index_lock:
                if self.to_index is None:
                    self.indexing = False
                    return
                (shards, changed), self.to_index = self.to_index, None
            problem = self.search.update(shards, changed)
            if problem is not None:
                self.echo(problem.format())

    def _draw_cards(self, cards: list[LaterCard]) -> None:
        """Draw the cards the last build left for later, in the background."""
        assert self.builder is not None
        try:
            draw_later(self.builder.engine.blobs("cards"), self.folder, cards)
        except OSError as exc:
            self.echo(f"link-preview cards could not be drawn: {exc}")

    def _reload(self, changed: list[str], css_only: bool) -> None:
        """Tell every open page to reload, or only to swap stylesheets when only CSS changed."""
        only_css = css_only and all(path.endswith(".css") for path in changed)
        self.pages.reload(changed if only_css else [])


def changes(project: Path, paths: set[str]) -> str:
    """The changed files as the writer knows them: relative to the project, the first few."""
    names = []
    for path in sorted(paths):
        try:
            names.append(Path(path).resolve().relative_to(project.resolve()).as_posix())
        except ValueError:
            names.append(path)
    shown = ", ".join(names[:3])
    return shown + (f" and {counted(len(names) - 3, 'other')}" if len(names) > 3 else "")


def host_warning(host: str) -> str | None:
    """What to say when the preview listens beyond this machine."""
    if not listens_beyond_loopback(host):
        return None
    return (f"warning: listening on {host}: other machines on the network can read this "
            "preview; use --host 127.0.0.1 to keep it to this machine")


def run_preview(preview: Preview) -> int:
    """Run a preview until Ctrl+C; return the exit code."""
    preview.start()
    try:
        tornado.ioloop.IOLoop.current().start()
    except KeyboardInterrupt:
        preview.echo("stopped")
    finally:
        preview.stop()
    return 0
