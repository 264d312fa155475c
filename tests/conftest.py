"""Fixtures: small projects written from dicts, and the sample site built once."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

from site_builder import search
from site_builder.build import BuildOptions, BuildResult, build

REPO = Path(__file__).resolve().parent.parent
SUBPATH_URL = "https://example.github.io/china-ai-briefing/"

SITE_YAML = """\
title: Test Briefing
description: A briefing used by the tests.
base_url: https://example.org/desk/
language: en
author: Test desk
"""

COMPANY = """\
---
name: {name}
aliases: [{aliases}]
country: CN
people: [{people}]
summary: {name} in one line.
---

{body}
"""

BRIEF = """\
---
title: {title}
date: {date}
summary: Summary of {title}.
companies: [{companies}]
tags: [{tags}]
{extra}---

{body}
"""


def company(name: str, aliases: str = "", people: str = "", body: str = "Profile.") -> str:
    """The text of a company file."""
    return COMPANY.format(name=name, aliases=aliases, people=people, body=body)


def brief(title: str, date: str = "2026-01-11", companies: str = "", tags: str = "",
          body: str = "Body.", extra: str = "") -> str:
    """The text of a brief file; `extra` is more front-matter lines."""
    extra = textwrap.dedent(extra)
    if extra and not extra.endswith("\n"):
        extra += "\n"
    return BRIEF.format(title=title, date=date, companies=companies, tags=tags, body=body,
                        extra=extra)


class Project:
    """A project folder written from a dict of relative paths to texts."""

    def __init__(self, root: Path, files: dict[str, str | bytes]) -> None:
        self.root = root
        self.output = root / "output"
        files = {"site.yaml": SITE_YAML, **files}
        for relative, text in files.items():
            self.write(relative, text)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def build(self, **options: object) -> BuildResult:
        return build(BuildOptions(project=self.root, **options))  # type: ignore[arg-type]

    def page(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        """Every file under output/ with its bytes."""
        return {p.relative_to(self.output).as_posix(): p.read_bytes()
                for p in sorted(self.output.rglob("*")) if p.is_file()}


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Project]:
    """Write a small project from {path: text}; site.yaml is added unless given."""
    def make(files: dict[str, str | bytes]) -> Project:
        return Project(tmp_path / "project", files)
    return make


@pytest.fixture
def basic_files() -> dict[str, str]:
    """Two companies and two briefs that build cleanly."""
    return {
        "content/companies/zhipu-ai.md": company("Zhipu AI", "Zhipu, 智谱",
                                                  "{name: Tang Jie, role: Founder}"),
        "content/companies/nvidia.md": company("Nvidia", "NVIDIA"),
        "content/briefs/first.md": brief("First brief", "2026-01-10", "zhipu-ai", "chips",
                                         "Zhipu AI met Nvidia."),
        "content/briefs/second.md": brief("Second brief", "2026-01-12", "nvidia", "chips, policy",
                                          "See [[brief:first]] and [[timeline]].",
                                          extra="events:\n  - {date: 2026-01, title: Chips "
                                          "approved, companies: [nvidia]}\n"),
    }


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once for a sub-path base URL, its search index in
    shards of at most ten pages (so that every search merges shards, as on a large site)."""
    output = tmp_path_factory.mktemp("sample") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", 10)
        build(BuildOptions(project=REPO, output=output, base_url=SUBPATH_URL))
    assert len(json.loads((output / search.SHARDS).read_text())) > 1
    return output


def copy_sample(project: Path) -> Path:
    """A copy of the repository's own project, safe to edit."""
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "site.yaml", project / "site.yaml")
    return project


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _read_lines(stream: IO[str], lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


@contextmanager
def serving(project: Path, *options: str, port: int | None = None,
            lines: list[str] | None = None) -> Iterator[str]:
    """`briefing serve` on a project in a subprocess; yields the URL it prints, then stops it.

    With `lines`, every line the preview prints is appended to it as it comes (the lines
    are read in any case, so the preview never waits on a full pipe).
    """
    with preview_process(project, *options, port=port, lines=lines) as (_, url):
        yield url


@contextmanager
def preview_process(project: Path, *options: str, port: int | None = None,
                    lines: list[str] | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """As `serving`, yielding the preview's process too."""
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--project", str(project),
         "--port", str(port or free_port()), *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline and process.poll() is None:
            line = process.stdout.readline()
            if lines is not None:
                lines.append(line)
            match = re.search(r"serving .* at (http://\S+)", line)
            url = match and match.group(1)
        assert url, "the preview did not start"
        threading.Thread(target=_read_lines, daemon=True,
                         args=(process.stdout, [] if lines is None else lines)).start()
        yield process, url
    finally:
        process.terminate()
        process.wait(timeout=10)
