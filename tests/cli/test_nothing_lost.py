"""Nothing lost: a killed build leaves the old site or the new one; sources are never written."""

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
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


def _files_being_written(project: Path) -> int:
    """How many files the build has put in its staging folder so far (-1 while there is none)."""
    staging = next(project.glob(".output.staging-*"), None)
    try:
        return -1 if staging is None else sum(len(files) for _, _, files in os.walk(staging))
    except OSError:
        return -1


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path):
    project = tmp_path / "project"
    generate(project, 1200, 60, seed=3)
    output = project / "output"
    command = [sys.executable, "-m", "site_builder", "build", "--project", str(project), "-q"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    old = digests(output)
    for path in sorted((project / "content" / "briefs").rglob("*.md"))[::50]:
        path.write_text(path.read_text().replace("\n\n", "\n\nA new sentence.\n\n", 1))
    states, written_when_killed = [], []
    for share in (None, 0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9):  # None: before the build writes
        shutil.rmtree(project / ".cache", ignore_errors=True)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        if share is not None:
            wait_for(lambda: _files_being_written(project) >= share * len(old)  # noqa: B023
                     or process.poll() is not None, timeout=120, every=0.002)
        written_when_killed.append(_files_being_written(project))
        process.send_signal(signal.SIGKILL)
        process.wait()
        states.append(digests(output))
    build(BuildOptions(project=project))
    new = digests(output)
    assert digests(output) == digests(_clean_build(project, tmp_path))
    assert old != new
    assert all(state in (old, new) for state in states)
    assert sum(count >= 0 for count in written_when_killed) >= 5, \
        f"too few kills landed while the new site was being written: {written_when_killed}"


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


def test_no_python_process_of_a_build_opens_a_connection(tmp_path, monkeypatch):
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


def _without_network() -> list[str]:
    """A command prefix that runs a program in a network namespace of its own (no network)."""
    for prefix in (["unshare", "--net"], ["unshare", "--map-root-user", "--net"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    raise AssertionError("this machine cannot run a program without network: `unshare --net` "
                         "needs root or user namespaces")


def test_a_build_cut_off_from_every_network_makes_the_same_site(tmp_path):
    project = copy_sample(tmp_path / "project")
    command = [sys.executable, "-m", "site_builder", "build", "--project", str(project), "-q"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    connected = digests(project / "output")
    shutil.rmtree(project / "output")
    shutil.rmtree(project / ".cache")
    offline = subprocess.run([*_without_network(), *command], capture_output=True, text=True)
    assert offline.returncode == 0, offline.stderr
    assert digests(project / "output") == connected
    assert any(path.startswith("pagefind/") for path in connected)
    assert any(path.startswith("cards/") for path in connected)
