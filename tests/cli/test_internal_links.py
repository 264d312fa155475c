"""A link typed in content that leads nowhere fails the build, at the place it was typed."""

from tests.helpers import run
from tests.conftest import SITE_YAML, brief

BODY = """Intro.

## US tool rules

See [gone](/briefs/kimi-k33/) and [rules](/briefs/second/#us-tool-rul),
[[brief:second#nowhere]], [folder](/companies) and [fine](/briefs/second/#us-tool-rules),
[[zhipu-ai#person-tang-jie]], [up](#us-tool-rules) and [feed](/feed.xml).
"""


def _lines(result):
    return result.stderr.splitlines()


def test_broken_links_and_anchors_fail_the_build_in_the_writer_s_words(built):
    built.write("content/briefs/second.md", brief("Second brief", "2026-01-12", "nvidia",
                                                  body="## US tool rules\n\nText."))
    built.write("content/briefs/first.md", brief("First brief", "2026-01-10", body=BODY))
    before = built.snapshot()
    result = run("build", "--project", built.root, cwd=built.root)
    assert result.returncode == 1
    assert _lines(result) == [
        "content/briefs/first.md:13:5: no page or file of the site at `/briefs/kimi-k33/`; "
        "did you mean `/briefs/first/` or `/briefs/`?",
        "content/briefs/first.md:13:35: no anchor `#us-tool-rul` on the page `/briefs/second/`; "
        "did you mean `#us-tool-rules`?",
        "content/briefs/first.md:14:1: no anchor `#nowhere` on the page `/briefs/second/`",
        "content/briefs/first.md:14:27: `/companies` is a folder of the site; write "
        "`/companies/`",
        "build failed: 4 errors; the previous output was left as it was"]
    assert built.snapshot() == before


def test_without_strict_broken_links_are_warnings(built):
    built.write("site.yaml", SITE_YAML + "strict: false\n")
    built.write("content/briefs/first.md", brief("First brief", body="[gone](/briefs/nope/)"))
    result = run("build", "--project", built.root, cwd=built.root)
    assert result.returncode == 0
    assert _lines(result)[0].startswith(
        "content/briefs/first.md:9:1: warning: no page or file of the site at `/briefs/nope/`")


def test_links_to_media_and_other_content_files_are_checked_too(built):
    built.write("content/media/chart.png", b"\x89PNG")
    built.write("content/briefs/first.md", brief("First brief", body=(
        "![c](../media/chart.png) ![d](/media/chart.jpg) [s](second.md) [t](secnd.md)")))
    result = run("build", "--project", built.root, cwd=built.root)
    assert _lines(result)[:2] == [
        "content/briefs/first.md:9:26: no page or file of the site at `/media/chart.jpg`; "
        "did you mean `/media/chart.png`?",
        "content/briefs/first.md:9:64: no published brief, company or page in "
        "`content/briefs/secnd.md`; did you mean `second.md`?"]
