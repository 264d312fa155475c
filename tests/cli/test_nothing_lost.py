"""Nothing lost: a killed build leaves the old site or the new one; sources are never written."""

import hashlib
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import generate
from site_builder.build import BuildOptions, build
from tests.helpers import digests, fetch, wait_for
from tests.conftest import brief, copy_sample, serving


def _sources(project: Path) -> dict[str, tuple[str, int]]:
    found = {}
    for path in [project / "site.yaml", *(project / "content").rglob("*"),
                 *(project / "templates").rglob("*")]:
        if path.is_file():
            found[path.relative_to(project).as_posix()] = (
                hashlib.blake2b(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return found


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path):
    project = tmp_path / "project"
    generate(project, 1200, 60, seed=3)
    output = project / "output"
    command = [sys.executable, "-m", "site_builder", "build", "--project", str(project), "-q"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    old = digests(output)
    for path in sorted((project / "content" / "briefs").rglob("*.md"))[::50]:
        path.write_text(path.read_text().replace("\n\n", "\n\nA new sentence.\n\n", 1))
    states, while_writing = [], 0
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 1.8, 2.5):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        while not any(project.glob(".output.staging-*")) and process.poll() is None:
            time.sleep(0.002)
        time.sleep(delay)
        writing = any(project.glob(".output.staging-*"))
        process.send_signal(signal.SIGKILL)
        process.wait()
        while_writing += writing
        states.append(digests(output))
    build(BuildOptions(project=project))
    new = digests(output)
    assert digests(output) == digests(_clean_build(project, tmp_path))
    assert old != new
    assert all(state in (old, new) for state in states)
    assert while_writing >= 5, "too few kills landed while the new site was being written"


def test_the_workers_of_a_killed_build_end_with_it(tmp_path):
    project = tmp_path / "project"
    generate(project, 1200, 60, seed=3)
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--project",
                                str(project), "--jobs", "2", "-q"], stdout=subprocess.DEVNULL)
    assert wait_for(lambda: len(_children(process.pid)) >= 2 or process.poll() is not None)
    workers = _children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(workers) >= 2, "the build ended before its workers started"
    assert wait_for(lambda: not any(_alive(pid) for pid in workers)), \
        "workers outlived the build that started them"


def _children(pid: int) -> list[int]:
    """The processes a process started (and that still run)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _clean_build(project: Path, tmp_path: Path) -> Path:
    clean = tmp_path / "clean"
    build(BuildOptions(project=project, output=clean, cache=False))
    return clean


def test_build_and_serve_never_write_sources(tmp_path):
    project = copy_sample(tmp_path / "project")
    before = _sources(project)
    build(BuildOptions(project=project))
    build(BuildOptions(project=project, drafts=True))
    with serving(project) as url:
        assert fetch(url)[0] == 200
        extra = project / "content" / "briefs" / "extra.md"
        extra.write_text(brief("Extra"))
        assert wait_for(lambda: fetch(url + "briefs/extra/")[0] == 200)
        extra.unlink()
        assert wait_for(lambda: fetch(url + "briefs/extra/")[0] == 404)
    assert _sources(project) == before


def test_no_build_step_reaches_the_network(tmp_path, monkeypatch):
    project = copy_sample(tmp_path / "project")
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network use is not allowed in a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))
    result = build(BuildOptions(project=project))
    assert result.pages > 30 and attempts == []
