"""Watching a project: every change to content, templates or settings, as it happens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

WATCHED = ("content", "templates", "site.yaml")
_EDITOR_DEBRIS = (".swp", ".swx", ".tmp", "~", ".crdownload", ".part")


class ProjectWatcher(FileSystemEventHandler):
    """Calls `changed(path)` from a background thread for each relevant file event."""

    def __init__(self, project: Path, changed: Callable[[str], None]) -> None:
        self.project = project.resolve()
        self.changed = changed
        self.observer = Observer()

    def start(self) -> None:
        """Watch the project's content, templates and site.yaml."""
        self.observer.schedule(self, str(self.project), recursive=False)
        for name in ("content", "templates"):
            folder = self.project / name
            if folder.is_dir():
                self.observer.schedule(self, str(folder), recursive=True)
        self.observer.start()

    def stop(self) -> None:
        """Stop watching."""
        self.observer.stop()
        self.observer.join(timeout=5)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "created":
            created = Path(str(event.src_path))
            if created.parent == self.project and created.name in ("content", "templates"):
                self.observer.schedule(self, str(created), recursive=True)
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and self.relevant(str(path)):
                self.changed(str(path))
                return

    def relevant(self, path: str) -> bool:
        """Whether a changed path can change the site (not editor debris or hidden files)."""
        try:
            relative = Path(path).resolve().relative_to(self.project)
        except ValueError:
            return False
        if not relative.parts or relative.parts[0] not in WATCHED:
            return relative.parts == ("content",) or relative.parts == ("templates",)
        name = relative.name
        return not (any(part.startswith(".") for part in relative.parts)
                    or name.endswith(_EDITOR_DEBRIS) or name.startswith("#"))
