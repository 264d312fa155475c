"""Preview pieces: the injected script and overlay, and which file events count."""

import socket
from pathlib import Path

from site_builder.errors import ContentError
from site_builder.preview.hosts import LocalHosts, is_local_address
from site_builder.preview.http import inject, overlay_html
from site_builder.preview.watch import ProjectWatcher

PAGE = b"<html><head><title>x</title></head><body><p>x</p></body></html>"


def test_pages_get_the_reload_script_and_no_overlay_without_errors():
    page = inject(PAGE, ())
    assert page.count(b'<script src="/.preview/reload.js"></script></head>') == 1
    assert b"briefing-error-overlay" not in page


def test_errors_show_in_an_escaped_overlay_with_their_places():
    errors = (ContentError("content/briefs/a.md", 3, 1, "`date`: <bad>"),
              ContentError("templates/x.html", 7, 1, "boom"))
    page = inject(PAGE, errors).decode()
    assert page.index('id="briefing-error-overlay"') < page.index("</body>")
    assert "Build failed: 2 errors" in page
    assert "content/briefs/a.md:3:1: `date`: &lt;bad&gt;" in page
    assert "templates/x.html:7:1: boom" in page
    assert "<bad>" not in overlay_html(errors)


def test_the_overlay_counts_one_error_in_the_singular():
    one = (ContentError("content/briefs/a.md", 3, 1, "`date` is required"),)
    assert "Build failed: 1 error. Showing the last good build" in overlay_html(one)


def test_only_content_templates_and_settings_count(tmp_path):
    watcher = ProjectWatcher(tmp_path, lambda path: None)
    for relevant in ("content/briefs/a.md", "templates/base.html", "site.yaml",
                     "templates/static/site.css", "content/media/x.png"):
        assert watcher.relevant(str(tmp_path / relevant)), relevant
    for ignored in ("output/index.html", ".cache/preview/index.html", "content/briefs/.a.md.swp",
                    "content/briefs/a.md~", "content/.git/x", "README.md", "notes/x.md"):
        assert not watcher.relevant(str(tmp_path / ignored)), ignored
    assert not watcher.relevant(str(Path("/elsewhere/content/a.md")))


def test_listening_beyond_this_machine_is_said_out_loud():
    from site_builder.preview.server import host_warning
    assert host_warning("127.0.0.1") is None and host_warning("localhost") is None
    assert host_warning("::1") is None
    assert "other machines on the network can read this preview" in host_warning("0.0.0.0")
    assert host_warning("192.168.1.5").startswith("warning: listening on 192.168.1.5")


def test_a_preview_on_all_interfaces_answers_to_this_machines_names_and_addresses_only():
    everywhere, here = LocalHosts("0.0.0.0"), LocalHosts("127.0.0.1")
    name = socket.gethostname().lower()
    for host in ("127.0.0.1", "localhost", "::1", name, name.split(".")[0] + ".local",
                 name.upper()):
        assert host in everywhere, host
    for host in ("evil.example", "203.0.113.7", "0.0.0.0", "224.0.0.1", ""):
        assert host not in everywhere, host
    assert "localhost" in here and "evil.example" not in here
    assert "192.168.1.5" in LocalHosts("192.168.1.5")


def test_only_addresses_of_this_machine_are_local_and_names_are_never_looked_up():
    assert is_local_address("127.0.0.1")
    assert not is_local_address("203.0.113.7")
    assert not is_local_address("localhost") and not is_local_address("evil.example")
