"""`briefing serve` over plain HTTP: prefix, redirects, ports, hosts, and changes on disk."""

import re
import socket

import pytest

from tests.helpers import fetch, wait_for
from tests.conftest import brief, copy_sample, free_port, serving


def healed(response) -> bool:
    """Served normally again: found, and without the error overlay."""
    status, body, _ = response
    return status == 200 and "briefing-error-overlay" not in body


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    project = copy_sample(tmp_path_factory.mktemp("serve") / "project")
    with serving(project) as url:
        yield project, url


def test_the_site_is_served_under_its_prefix_and_root_redirects_there(sample):
    project, url = sample
    assert url.endswith("/china-ai-briefing/")
    root = url[: -len("china-ai-briefing/")]
    status, body, final = fetch(root)
    assert (status, final) == (200, url)
    status, body, _ = fetch(url + "briefs/us-lead-widening/")
    assert status == 200
    assert f'<link rel="canonical" href="{url}briefs/us-lead-widening/">' in body
    assert '<script src="/.preview/reload.js"></script>' in body
    status, body, _ = fetch(url + "no/such/page/")
    assert status == 404 and "Page not found" in body


def test_the_preview_never_serves_the_project_folder(sample):
    project, url = sample
    for path in ("../site.yaml", "%2e%2e/site.yaml", "..%2fsite.yaml",
                 "../content/briefs/us-lead-widening.md"):
        status, body, _ = fetch(url + path)
        assert status in (403, 404), path
        assert "title:" not in body


def test_other_hosts_are_refused(sample):
    _, url = sample
    assert fetch(url, host="attacker.example")[0] == 403
    assert fetch(url, host="localhost")[0] == 200


def test_new_changed_and_deleted_briefs_are_picked_up(sample):
    project, url = sample
    path = project / "content" / "briefs" / "fresh.md"
    path.write_text(brief("A fresh brief", "2026-02-01", "nvidia", body="Fresh words."))
    assert wait_for(lambda: fetch(url + "briefs/fresh/")[0] == 200)
    assert wait_for(lambda: "A fresh brief" in fetch(url)[1])
    path.unlink()
    assert wait_for(lambda: fetch(url + "briefs/fresh/")[0] == 404)
    assert "A fresh brief" not in fetch(url)[1]
    assert "A fresh brief" not in fetch(url + "companies/nvidia/")[1]


def test_drafts_are_previewed_and_marked_unless_asked_not_to(tmp_path):
    project = copy_sample(tmp_path / "project")
    (project / "content" / "briefs" / "wip.md").write_text(
        brief("Work in progress", extra="draft: true\n"))
    with serving(project) as url:
        status, body, _ = fetch(url + "briefs/wip/")
        assert status == 200 and '<span class="badge draft">Draft</span>' in body
    with serving(project, "--no-drafts") as url:
        assert fetch(url + "briefs/wip/")[0] == 404


def test_a_port_in_use_moves_to_the_next_and_says_so(tmp_path):
    project = copy_sample(tmp_path / "project")
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        lines = []
        with serving(project, port=port, lines=lines) as url:
            assert f":{port}/" not in url
            assert any(f"port {port} is in use; serving on port" in line for line in lines)


def test_a_project_broken_from_the_start_is_served_with_the_errors_and_heals(tmp_path):
    project = copy_sample(tmp_path / "project")
    path = project / "content" / "briefs" / "us-lead-widening.md"
    good = path.read_text()
    path.write_text(good.replace("date: 2026-01-11", "date: 2026-02-30"))
    with serving(project) as url:
        status, body, _ = fetch(url)
        assert status == 404
        assert "content/briefs/us-lead-widening.md:3:1:" in body
        assert '<script src="/.preview/reload.js"></script>' in body
        path.write_text(good)
        assert wait_for(lambda: healed(fetch(url)))


def test_the_preview_counts_one_file_and_one_error_in_the_singular(tmp_path):
    project = copy_sample(tmp_path / "project")
    media = project / "content" / "media"
    media.mkdir()
    lines = []
    with serving(project, lines=lines) as url:
        (media / "chart.png").write_bytes(b"an image")
        assert wait_for(lambda: fetch(url + "media/chart.png")[0] == 200)
        assert wait_for(lambda: any(re.fullmatch(r"rebuilt in \d+ ms: 0 pages rendered, "
                                                 r"1 file changed\n", line) for line in lines))
        path = project / "content" / "briefs" / "us-lead-widening.md"
        path.write_text(path.read_text().replace("date: 2026-01-11", "date: 2026-02-30", 1))
        assert wait_for(lambda: "build failed: 1 error; serving the last good build\n" in lines)
        assert "Build failed: 1 error." in fetch(url)[1]
    assert not [line for line in lines if re.search(r"\b1 (files|pages|errors)\b", line)]


def test_a_second_preview_serves_the_last_build_at_once_and_catches_up(tmp_path):
    project = copy_sample(tmp_path / "project")
    port = free_port()
    first: list[str] = []
    with serving(project, port=port, lines=first):
        assert wait_for(lambda: any(line.startswith("built in") for line in first))
    path = project / "content" / "briefs" / "fresh.md"
    path.write_text(brief("Written while no preview ran", "2026-02-01", "nvidia"))
    second: list[str] = []
    with serving(project, port=port, lines=second) as url:
        status, _, _ = fetch(url)
        assert status == 200
        assert wait_for(lambda: any(line.startswith("rebuilt in") for line in second))
        assert "Written while no preview ran" in fetch(url)[1]
        card = project / ".cache" / "preview" / "site" / "cards" / "briefs" / "fresh.png"
        assert wait_for(card.is_file)  # drawn after the build; else the next start draws it
    said = [line.split(" ")[0] for line in second]
    assert said.index("serving") < said.index("rebuilt") and "built" not in said
    assert "serving the last build while it is brought up to date" in map(str.strip, second)
    third: list[str] = []
    with serving(project, port=port, lines=third):  # nothing changed: no page reloads
        assert wait_for(lambda: any(line.startswith("rebuilt in") for line in third))
    assert next(line for line in third if line.startswith("rebuilt in")).strip().endswith(
        "pages rendered, 0 files changed")
