"""The preview survives bursts and broken states, and lets nothing in from other sites."""

import base64
import ipaddress
import os
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import fetch, wait_for
from tests.conftest import brief, copy_sample, preview_process, serving

BRIEF = "content/briefs/us-lead-widening.md"
HEADING = "## What the rewrite reports"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_sample(tmp_path_factory.mktemp("hard") / "project")
    (project / "templates").mkdir()
    with serving(project) as url:
        yield project, url


def _upgrade(url, host=None, origin=None):
    """The status line of a WebSocket upgrade to the live-reload endpoint."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    headers = ["GET /.preview/reload HTTP/1.1", f"Host: {host or parts.netloc}",
               "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
               "Sec-WebSocket-Version: 13"]
    if origin:
        headers.append(f"Origin: {origin}")
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        return connection.recv(200).decode().split("\r\n")[0]


def test_websocket_upgrades_from_foreign_origins_or_hosts_are_refused(served):
    _, url = served
    origin = f"http://{urlsplit(url).netloc}"
    assert " 101 " in _upgrade(url, origin=origin)
    assert " 101 " in _upgrade(url, origin=origin.replace("127.0.0.1", "localhost"))
    assert " 403 " in _upgrade(url, origin="http://attacker.example")
    assert " 403 " in _upgrade(url, origin="null")
    assert " 403 " in _upgrade(url, host="attacker.example", origin="http://attacker.example")
    assert " 403 " in _upgrade(url, host="attacker.example:80", origin=origin)


def _this_machine() -> str:
    """An address of this machine that is not loopback, or its host name if it has none."""
    for *_, where in socket.getaddrinfo(socket.gethostname(), None, type=socket.SOCK_STREAM):
        if not ipaddress.ip_address(where[0]).is_loopback:
            return where[0]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a UDP socket sends nothing when it connects
        except OSError:
            return socket.gethostname()
        return probe.getsockname()[0]


def test_listening_on_all_interfaces_serves_this_machines_own_addresses(tmp_path):
    project = copy_sample(tmp_path / "project")
    lines = []
    with serving(project, "--host", "0.0.0.0", lines=lines) as url:
        assert any("other machines on the network can read this preview" in line
                   for line in lines)
        machine = _this_machine()
        own = f"[{machine}]" if ":" in machine else machine
        port = urlsplit(url).port
        for host in (own, socket.gethostname()):
            status, body, _ = fetch(url, host=f"{host}:{port}")
            assert status == 200 and "<h1" in body, host
            assert " 101 " in _upgrade(url, host=f"{host}:{port}", origin=f"http://{host}:{port}")
        assert fetch(url, host=f"evil.example:{port}")[0] == 403
        assert fetch(url, host=f"203.0.113.7:{port}")[0] == 403
        assert " 403 " in _upgrade(url, host=f"{own}:{port}", origin="http://evil.example")
        assert " 403 " in _upgrade(url, host=f"evil.example:{port}",
                                   origin=f"http://{own}:{port}")


def test_symlinks_out_of_the_preview_are_not_followed(served, tmp_path):
    project, url = served
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (project / ".cache" / "preview" / "site" / "leak.txt").symlink_to(secret)
    status, body, _ = fetch(url + "leak.txt")
    assert status in (403, 404) and "private" not in body
    status, body, _ = fetch(url.replace("/china-ai-briefing/", "//etc/passwd"))
    assert status in (403, 404) and "root:" not in body


def test_a_burst_of_saves_ends_on_the_last_one(served):
    project, url = served
    path = project / BRIEF
    original = path.read_text()
    assert HEADING in original
    for number in range(100):
        path.write_text(original.replace(HEADING, f"## Burst save {number}"))
    assert wait_for(lambda: "Burst save 99" in fetch(url + "briefs/us-lead-widening/")[1], 30)
    path.write_text(original)
    assert wait_for(lambda: HEADING[3:] in fetch(url + "briefs/us-lead-widening/")[1], 30)


def test_deleted_and_recreated_files_are_served_as_they_are_now(served):
    project, url = served
    path = project / "content" / "briefs" / "solo.md"
    path.write_text(brief("Solo", body="First version."))
    assert wait_for(lambda: "First version" in fetch(url + "briefs/solo/")[1])
    path.unlink()
    assert wait_for(lambda: fetch(url + "briefs/solo/")[0] == 404)
    path.write_text(brief("Solo", body="Second version."))
    assert wait_for(lambda: "Second version" in fetch(url + "briefs/solo/")[1])
    path.unlink()
    assert wait_for(lambda: fetch(url + "briefs/solo/")[0] == 404)


def test_deleting_a_brief_others_link_to_keeps_the_last_good_site(served):
    project, url = served
    path = project / BRIEF
    original = path.read_text()
    path.unlink()
    assert wait_for(lambda: "unknown brief `us-lead-widening`" in fetch(url)[1])
    assert fetch(url + "briefs/us-lead-widening/")[0] == 200
    path.write_text(original)
    assert wait_for(lambda: "briefing-error-overlay" not in fetch(url)[1])


def test_a_template_that_raises_shows_in_the_overlay_then_heals(served):
    project, url = served
    template = project / "templates" / "tags.html"
    template.write_text('{% extends "base.html" %}{% block main %}\n{{ rows|length // 0 }}'
                        "{% endblock %}")
    assert wait_for(lambda: "templates/tags.html:2:1: template error" in fetch(url)[1])
    assert "ZeroDivisionError" in fetch(url)[1]
    template.unlink()
    assert wait_for(lambda: "briefing-error-overlay" not in fetch(url)[1])


def test_a_broken_link_shows_in_the_overlay_at_its_source_then_heals(served):
    project, url = served
    path = project / BRIEF
    original = path.read_text()
    path.write_text(original + "\nSee [the rules](/briefs/us-lead-widening/#no-such-heading).\n")
    line = original.count("\n") + 2
    assert wait_for(lambda: f"content/briefs/us-lead-widening.md:{line}:5: no anchor "
                    "`#no-such-heading` on the page `/briefs/us-lead-widening/`" in fetch(url)[1])
    path.write_text(original)
    assert wait_for(lambda: "briefing-error-overlay" not in fetch(url)[1])


def test_pages_are_served_while_a_slow_build_runs(tmp_path):
    project = copy_sample(tmp_path / "project")
    lines: list[str] = []
    with serving(project, lines=lines) as url:
        slow, written = project / "content" / "briefs" / "slow.md", tmp_path / "slow.md"
        written.write_text(brief("A slow brief", body=("word [[timeline]] Nvidia " * 100 + "\n\n")
                                 * 3000))
        written.rename(slow)  # in place at once, as editors save
        assert wait_for(lambda: any("content/briefs/slow.md; rebuilding" in line
                                    for line in lines), 30)
        for page in ("companies/", "timeline/", "static/site.css"):
            assert fetch(url + page)[0] == 200
        assert fetch(url + "briefs/slow/")[0] == 404
        assert not any(line.startswith("rebuilt") for line in lines), \
            "the slow build ended before the pages were fetched"
        assert wait_for(lambda: fetch(url + "briefs/slow/")[0] == 200, 60)
        slow.unlink()
        assert wait_for(lambda: fetch(url + "briefs/slow/")[0] == 404, 60)


def _resident_megabytes(pid: int) -> float:
    """The resident memory of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024


def test_two_hundred_rebuilds_leave_the_preview_memory_where_it_was(tmp_path):
    project = copy_sample(tmp_path / "project")
    path = project / BRIEF
    original = path.read_text()
    assert HEADING in original
    lines: list[str] = []
    with preview_process(project, lines=lines) as (process, url):
        sizes = {}
        for edit in range(1, 201):
            path.write_text(original.replace(HEADING, f"{HEADING}, edit {edit}"))
            assert wait_for(lambda: sum(line.startswith("rebuilt") for line in lines) >= edit,
                            60), f"edit {edit} was not rebuilt"
            if edit in (20, 200):
                sizes[edit] = _resident_megabytes(process.pid)
        assert "What the rewrite reports, edit 200" in fetch(url + "briefs/us-lead-widening/")[1]
    assert not any("build failed" in line for line in lines)
    assert sizes[200] - sizes[20] < 50, sizes
