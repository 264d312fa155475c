"""Shared by tests: run the command line, fetch a page, wait for a condition, digest a folder."""

import hashlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path


def run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`briefing ARGS` in a subprocess, its output captured."""
    return subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def fetch(url: str, host: str | None = None) -> tuple[int, str, str]:
    """Status, body and final URL of a GET, errors included."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), url


def wait_for(condition: Callable[[], object], timeout: float = 10.0,
             every: float = 0.05) -> bool:
    """Whether `condition()` came true before `timeout` seconds passed, checked `every` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its relative path, with a digest of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
